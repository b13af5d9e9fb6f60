/**
 * The exit codes of `receiptd` (README "Exit codes"), and which failure gets which. Each named
 * failure is one line on stderr without a stack; only an unexpected error keeps its stack.
 */
import { ConfigError } from '../config/checks.js'
import { ListenError } from '../gateway/server.js'
import { MigrationError } from '../store/migrations.js'
import { StoreUnavailableError } from '../store/store.js'

export const EXIT = {
  ok: 0,
  /** A bug: the stack is printed. */
  unexpected: 1,
  /** A usage error or a bad setting (flag, variable, config file). */
  settings: 2,
  /** The store cannot be used: data folder, database file, PostgreSQL, migrations, another process. */
  store: 3,
  /** The listener cannot start: port in use, no permission, a host that does not resolve. */
  listener: 4,
  /** Shutdown did not finish within `server.shutdownTimeoutMs`, or a second signal cut it short. */
  shutdown: 5,
} as const

export function exitCodeOf(e: unknown): number {
  if (e instanceof ConfigError) return EXIT.settings
  if (e instanceof StoreUnavailableError || e instanceof MigrationError) return EXIT.store
  if (e instanceof ListenError) return EXIT.listener
  return EXIT.unexpected
}
