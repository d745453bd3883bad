import 'reflect-metadata';
import { applyInputRule, assertStorableInput, assertStorablePath, isStorableText, normalizeInput, VerbatimInput } from './normalize-input';

describe('normalizeInput (README §1: trim, empty string → null)', () => {
  it('trims strings and turns empty or blank ones into null', () => {
    expect(normalizeInput('  alice  ')).toBe('alice');
    expect(normalizeInput('')).toBeNull();
    expect(normalizeInput('   ')).toBeNull();
    expect(normalizeInput('\t\n')).toBeNull();
    expect(normalizeInput('a b')).toBe('a b');
  });

  it('leaves other values alone', () => {
    expect(normalizeInput(0)).toBe(0);
    expect(normalizeInput(false)).toBe(false);
    expect(normalizeInput(null)).toBeNull();
    expect(normalizeInput(undefined)).toBeUndefined();
    const buffer = Buffer.from('  x  ');
    expect(normalizeInput(buffer)).toBe(buffer);
    expect(buffer.toString()).toBe('  x  ');
  });

  it('walks objects and arrays, in place', () => {
    const body = { name: ' alice ', bio: '', sex: 1, tags: [' a ', '', 'b'], data: { org: { name: '  ACME ' }, empty: '  ' } };
    const result = normalizeInput(body);
    expect(result).toBe(body);
    expect(body).toEqual({ name: 'alice', bio: null, sex: 1, tags: ['a', null, 'b'], data: { org: { name: 'ACME' }, empty: null } });
  });

  it('takes passwords as typed, but an empty password is still absent', () => {
    const body = {
      password: ' secret ',
      old_password: '  pw  ',
      password_confirmation: ' secret ',
      Password: ' X ',
      nested: { new_password: ' y ' },
      empty: { password: '' },
    };
    normalizeInput(body);
    expect(body.password).toBe(' secret ');
    expect(body.old_password).toBe('  pw  ');
    expect(body.password_confirmation).toBe(' secret ');
    expect(body.Password).toBe(' X ');
    expect(body.nested.new_password).toBe(' y ');
    expect(body.empty.password).toBeNull();
  });

  it('stops at a maximum depth instead of recursing without bound', () => {
    type Node = { value: string; child?: Node };
    const root: Node = { value: ' top ' };
    let node = root;
    for (let i = 0; i < 10_000; i++) {
      node.child = { value: ' deep ' };
      node = node.child;
    }
    expect(() => normalizeInput(root)).not.toThrow();
    expect(root.value).toBe('top');
    expect(root.child!.value).toBe('deep');
    expect(node.value).toBe(' deep ');
  });

  it('does not follow __proto__ into Object.prototype', () => {
    const body = JSON.parse('{"__proto__": {"polluted": " yes "}, "a": " b "}');
    normalizeInput(body);
    expect(body.a).toBe('b');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('text PostgreSQL cannot store is refused (400), never passed on', () => {
  it('refuses NUL and lone surrogates in values and keys, at any walked depth', () => {
    for (const body of [
      { a: 'x\u0000y' },
      { a: '\ud800' },
      { a: 'x\udc00' },
      { deep: { list: ['ok', '\u0000'] } },
      { ['k\u0000']: 1 },
      { password: 'p\u0000w' },
    ]) {
      expect(() => normalizeInput(body)).toThrow(expect.objectContaining({ status: 400, key: 'malformed_json' }));
    }
  });

  it('accepts surrogate pairs (emoji) and other unusual but valid text', () => {
    expect(normalizeInput({ a: ' 😀𝕏\u202e\ufeff ' })).toEqual({ a: '😀𝕏\u202e\ufeff'.trim() });
    expect(isStorableText('中文😀')).toBe(true);
  });

  it('answers 404 to a path parameter that is not storable text (it names nothing), without changing the others', () => {
    expect(() => assertStorablePath({ name: 'a\u0000' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => assertStorablePath({ name: ' fz_text ' })).not.toThrow();
  });
});

describe('applyInputRule (one place decides how a route takes its input)', () => {
  const request = (rule: 'verbatim' | undefined, body: unknown, query: unknown = {}) => ({
    body,
    query,
    routeOptions: { config: rule ? { inputRule: rule } : {} },
  });

  it('normalises by default (trim, "" → null), in body and query', () => {
    const req = request(undefined, { name: ' a ', tags: [' b ', ''] }, { where: ' {} ', keys: '' });
    applyInputRule(req);
    expect(req.body).toEqual({ name: 'a', tags: ['b', null] });
    expect(req.query).toEqual({ where: '{}', keys: null });
  });

  it('takes the input of a verbatim route exactly as sent, at any depth', () => {
    const body = { title: '  y  ', empty: '', deep: { list: [' x ', ''], ' key ': '\t' } };
    const req = request('verbatim', structuredClone(body), { where: ' {} ', keys: '' });
    applyInputRule(req);
    expect(req.body).toEqual(body);
    expect(req.query).toEqual({ where: ' {} ', keys: '' });
  });

  it.each([
    ['a NUL in a value', { a: 'x\u0000' }],
    ['a NUL in a key', { ['k\u0000']: 1 }],
    ['a lone surrogate deep inside', { a: [{ b: ['\ud800'] }] }],
  ])('still refuses %s on a verbatim route', (_name, body) => {
    expect(() => applyInputRule(request('verbatim', body))).toThrow();
    expect(() => assertStorableInput(body)).toThrow();
  });

  it('VerbatimInput() marks every handler of a controller class in its Fastify route config', () => {
    @VerbatimInput()
    class SomeController {
      list() {}
      show() {}
    }
    for (const handler of [SomeController.prototype.list, SomeController.prototype.show]) {
      expect(Reflect.getMetadata('__fastify_route_config__', handler)).toEqual({ inputRule: 'verbatim' });
    }
  });
});
