import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runSql } from '../database/sql';
import { LIVE_USER } from '../users/live-user';
import { DEFAULT_RADIUS_METRES, NearbyQuery, PositionDto } from './dto/position.dto';

/** Positions are kept at 3 decimals of a degree (~110 m of latitude, less of longitude): nobody's exact spot is stored. */
const KEPT_DECIMALS = 3;
/** Distances are answered to 10 m. */
const DISTANCE_STEP_METRES = 10;
const EARTH_RADIUS_METRES = 6_371_008.8;
const METRES_PER_DEGREE = (Math.PI * EARTH_RADIUS_METRES) / 180;
const DEFAULT_LIMIT = 15;

const kept = (degrees: number) => Number(degrees.toFixed(KEPT_DECIMALS));

interface NearbyRow {
  user_id: number;
  name: string;
  latitude: number;
  longitude: number;
  distance: number;
  created_at: Date;
  updated_at: Date;
}

/** `2026-12-03 09:30:00` (UTC), the form of AMap's `_createtime` / `_updatetime`. */
const amapTime = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

/**
 * People nearby (`/around-amap`), which the original forwarded to AMap's cloud map: here a table of rounded positions
 * in PostgreSQL. A radius search reads the bounding box through the (latitude, longitude) index, then keeps the rows
 * within the exact great-circle (haversine) distance, nearest first.
 */
@Injectable()
export class NearbyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async place(userId: number, position: PositionDto): Promise<void> {
    await runSql(
      this.db,
      `INSERT INTO user_positions (user_id, latitude, longitude) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, updated_at = now()`,
      [userId, kept(position.latitude), kept(position.longitude)],
    );
  }

  async remove(userId: number): Promise<void> {
    await runSql(this.db, 'DELETE FROM user_positions WHERE user_id = $1', [userId]);
  }

  /** Live users within `radius` metres of the point, nearest first, never the viewer; AMap's record shape. */
  async around(viewerId: number | null, query: NearbyQuery) {
    const radius = query.radius ?? DEFAULT_RADIUS_METRES;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const page = query.page ?? 1;
    const latSpan = radius / METRES_PER_DEGREE;
    const lngSpan = Math.min(180, radius / (METRES_PER_DEGREE * Math.max(Math.cos((query.latitude * Math.PI) / 180), 0.01)));
    const { rows } = await runSql<NearbyRow>(
      this.db,
      `SELECT p.user_id, u.name, p.latitude, p.longitude, p.created_at, p.updated_at,
              round(d.metres / ${DISTANCE_STEP_METRES}) * ${DISTANCE_STEP_METRES} AS distance
         FROM user_positions p
         JOIN users u ON u.id = p.user_id AND ${LIVE_USER}
         CROSS JOIN LATERAL (SELECT 2 * ${EARTH_RADIUS_METRES} * asin(least(1, sqrt(
                power(sin(radians(p.latitude - $1) / 2), 2)
                + cos(radians($1)) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - $2) / 2), 2)))) AS metres) d
        WHERE p.latitude BETWEEN $1 - $3 AND $1 + $3
          AND p.longitude BETWEEN $2 - $4 AND $2 + $4
          AND d.metres <= $5
          AND p.user_id IS DISTINCT FROM $6
        ORDER BY d.metres, p.user_id
        LIMIT $7 OFFSET $8`,
      [query.latitude, query.longitude, latSpan, lngSpan, radius, viewerId, limit, (page - 1) * limit],
    );
    return rows.map((row) => ({
      _id: String(row.user_id),
      _location: `${row.longitude.toFixed(KEPT_DECIMALS)},${row.latitude.toFixed(KEPT_DECIMALS)}`,
      _name: row.name,
      _address: '',
      _province: '',
      _city: '',
      _district: '',
      _createtime: amapTime(row.created_at),
      _updatetime: amapTime(row.updated_at),
      _distance: String(Number(row.distance)),
      _image: [],
      user_id: row.user_id,
    }));
  }
}
