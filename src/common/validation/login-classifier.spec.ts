import { classifyLogin } from './login-classifier';

describe('login classifier (mobile-api §1)', () => {
  it.each([
    ['alice@example.com', { kind: 'email', value: 'alice@example.com' }],
    ['Alice@Example.COM', { kind: 'email', value: 'alice@example.com' }],
    ['13800000000', { kind: 'phone', value: '13800000000' }],
    ['+8613800000000', { kind: 'phone', value: '13800000000' }],
    ['008613800000000', { kind: 'phone', value: '13800000000' }],
    ['+86-13800000000', { kind: 'phone', value: '13800000000' }],
    ['alice', { kind: 'name', value: 'alice' }],
    ['Alice_9', { kind: 'name', value: 'Alice_9' }],
    ['张三', { kind: 'name', value: '张三' }],
    ['1', { kind: 'id', value: 1 }],
    ['42', { kind: 'id', value: 42 }],
    ['12800000000', { kind: 'id', value: 12800000000 }],
    ['999999999999999', { kind: 'id', value: 999999999999999 }],
  ])('%p → %p', (input, expected) => {
    expect(classifyLogin(input)).toEqual(expected);
  });

  it('checks e-mail before phone before name before id', () => {
    // an 11-digit mobile number is a phone, not an id
    expect(classifyLogin('13912345678')?.kind).toBe('phone');
    // a name never starts with a digit, so digits are an id
    expect(classifyLogin('123')?.kind).toBe('id');
  });

  it.each([
    ['', 'empty'],
    ['0', 'id 0'],
    ['000', 'id 0 with zeros'],
    ['1abc', 'leading digit with letters'],
    ['a b', 'space'],
    ["' OR 1=1 --", 'SQL'],
    ['a-b', 'punctuation'],
    ['9999999999999999', '16 digits: beyond a safe id'],
    ['99999999999999999999', '20 digits'],
    ['-1', 'negative'],
    ['1.5', 'decimal'],
    ['1e3', 'exponent'],
    ['@example.com', 'half an e-mail'],
    [`${'a'.repeat(120)}@example.com`, 'over 128 characters'],
    ['a'.repeat(129), 'a 129-character name'],
  ])('%p (%s) → null', (input) => {
    expect(classifyLogin(input)).toBeNull();
  });

  it('never returns an unsafe integer id', () => {
    for (const input of ['1', '9'.repeat(15), '9'.repeat(16), '9'.repeat(30)]) {
      const result = classifyLogin(input);
      if (result?.kind === 'id') expect(Number.isSafeInteger(result.value)).toBe(true);
    }
  });
});
