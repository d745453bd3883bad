/**
 * The one definition of a live account: neither cancelled nor disabled. Lookups, lists, ranks and grants show or
 * touch live users only. SQL fragments name the user `u`.
 */
export const LIVE_USER = 'u.cancelled_at IS NULL AND u.disabled_at IS NULL';

/** Its negation, in the words of the partial index users_not_live_idx (few rows: cheap to anti-join). */
export const NOT_LIVE_USER = 'u.cancelled_at IS NOT NULL OR u.disabled_at IS NOT NULL';

/**
 * An account that still exists (not cancelled), disabled or not: what sign-in, the owner's own reads and the operator
 * API address. Disabling is reversible; cancellation is not.
 */
export const EXISTING_USER = 'u.cancelled_at IS NULL';
