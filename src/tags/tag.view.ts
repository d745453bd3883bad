/** A tag as the ThinkSNS+ clients read it. */
export interface TagView {
  id: number;
  name: string;
  tag_category_id: number;
  weight: number;
}

/** The columns of TagView, from `tags t`. */
export const TAG_COLUMNS = 't.id, t.name, t.tag_category_id, t.weight';

/** A category's tags as a JSON array (larger weight first), for a query grouping `tags t` by category. */
export const TAGS_OF_CATEGORY = `COALESCE(json_agg(json_build_object('id', t.id, 'name', t.name, 'tag_category_id', t.tag_category_id, 'weight', t.weight)
  ORDER BY t.weight DESC, t.id) FILTER (WHERE t.id IS NOT NULL), '[]')`;
