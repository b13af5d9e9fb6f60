/** The logging surface the code below the HTTP layer uses: pino's methods, nothing framework-bound. */
import type { Logger } from 'pino'

export type Log = Pick<Logger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>
