import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runSql } from '../database/sql';
import { LIVE_USER } from '../users/live-user';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Division, DIVISIONS } from './divisions';

/** The original answered at most five matches. */
const SEARCH_LIMIT = 5;
const HOT_CITIES = 12;
/** The counted hot cities are recounted this often (per instance): a group-by over the users is not per-request work. */
const HOTS_TTL_MS = 10 * 60 * 1000;

/** A division as the ThinkSNS+ `areas` rows were serialised (`extends` was an unused text column). */
interface AreaView {
  id: number;
  name: string;
  pid: number;
  extends: string;
}

interface AreaTreeView extends AreaView {
  parent: AreaTreeView | null;
}

const areaView = (division: Division): AreaView => ({ id: division.id, name: division.name, pid: division.pid, extends: '' });

function treeView(division: Division): AreaTreeView {
  return { ...areaView(division), parent: division.parent ? treeView(division.parent) : null };
}

/** `成都` / `成都市` → `成都`: the users module keeps a user's city without a trailing 市. */
const bare = (name: string) => name.replace(/市$/, '');

@Injectable()
export class LocationsService {
  private counted: { at: number; hots: Promise<string[]> } | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `GET /locations/search?name=`: divisions whose name contains `name`, larger ones first, each as `{tree, items}`:
   * `tree` with its parent chain up to 中国, `items` the children of the country or a province (else null).
   */
  search(name: string) {
    const matches: Division[] = [];
    for (const division of DIVISIONS) if (division.name.includes(name)) matches.push(division);
    return matches
      .sort((a, b) => a.level - b.level || a.id - b.id)
      .slice(0, SEARCH_LIMIT)
      .map((division) => ({ items: division.level <= 1 ? division.children.map(areaView) : null, tree: treeView(division) }));
  }

  /** `GET /locations/hots`: names such as `四川省 成都市` (the form the client sends to `/around-amap/geo`). */
  async hots(): Promise<string[]> {
    if (this.config.locationHots.length) return this.config.locationHots;
    if (!this.counted || Date.now() - this.counted.at > HOTS_TTL_MS) {
      const hots = this.countHots();
      this.counted = { at: Date.now(), hots };
      hots.catch(() => (this.counted = null));
    }
    return this.counted.hots;
  }

  /**
   * The cities with the most live users, read from the users' normalised `city` (users module, index
   * users_city_active_idx), named as the divisions name them when they are one.
   */
  private async countHots(): Promise<string[]> {
    const { rows } = await runSql<{ city: string }>(
      this.db,
      `SELECT u.city FROM users u WHERE u.city IS NOT NULL AND ${LIVE_USER}
       GROUP BY u.city ORDER BY count(*) DESC, u.city LIMIT $1`,
      [HOT_CITIES],
    );
    return rows.map(({ city }) => {
      const division = DIVISIONS.find((d) => (d.level === 1 || d.level === 2) && bare(d.name) === city);
      if (!division) return city;
      return division.level === 2 && division.parent ? `${division.parent.name} ${division.name}` : division.name;
    });
  }
}
