import { cityOf } from './city';

describe('cityOf (同城)', () => {
  it.each([
    ['四川 成都市', '成都'],
    ['四川 成都', '成都'],
    ['成都市', '成都'],
    ['四川省,成都市,武侯区', '成都'],
    ['广东、广州市、天河区', '广州'],
    ['内蒙古 锡林郭勒盟', '锡林郭勒盟'],
    ['甘肃 甘南藏族自治州', '甘南藏族自治州'],
    ['新疆 和田地区', '和田地区'],
    ['北京 东城区', '东城区'],
    ['  上海市  ', '上海'],
  ])('%s → %s', (location, city) => {
    expect(cityOf(location)).toBe(city);
  });

  it.each([[null], [undefined], [''], ['   '], [' , / '], ['市']])('answers null for %p', (location) => {
    expect(cityOf(location)).toBeNull();
  });

  it('keeps at most 64 characters', () => {
    expect(cityOf('长'.repeat(100))).toHaveLength(64);
  });
});
