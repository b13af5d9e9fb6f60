/**
 * Transaction-scoped advisory locks, for checks that have no row to lock: an app's account count,
 * a C2C conversation that may not have a row yet. Advisory locks are per database, so the key
 * includes the schema (deployments sharing a database do not wait on each other); a hash
 * collision only makes two unrelated transactions wait in turn.
 */

/** SQL for the lock key of `$1` (what is locked) within `$2` (the app), for `pg_advisory_xact_lock`. */
export const ADVISORY_KEY = `hashtextextended(current_schema() || E'\\x01' || $1::text || E'\\x01' || $2::text, 0)`
