import { AddressRow, seedTimestamp, toAddressView } from './address.view';

describe('address view', () => {
  const row: AddressRow = {
    id: 7,
    user_id: 3,
    alias: '家',
    name: '张三',
    phone: '13800138000',
    province: '北京',
    city: '北京市',
    county: '东城区',
    detail: '某某路 1 号',
    postcode: '100000',
    is_default: true,
    created_at: new Date('2019-04-13T04:34:33.789Z'),
    updated_at: new Date('2020-01-02T03:04:05Z'),
  };

  it('writes timestamps as the seed does: "YYYY-MM-DD hh:mm:ss" in UTC', () => {
    expect(seedTimestamp(new Date('2019-04-13T04:34:33.789Z'))).toBe('2019-04-13 04:34:33');
  });

  it('lists the address fields and nothing else', () => {
    expect(toAddressView(row)).toEqual({
      id: 7,
      user_id: 3,
      alias: '家',
      name: '张三',
      phone: '13800138000',
      province: '北京',
      city: '北京市',
      county: '东城区',
      detail: '某某路 1 号',
      postcode: '100000',
      is_default: true,
      created_at: '2019-04-13 04:34:33',
      updated_at: '2020-01-02 03:04:05',
    });
  });
});
