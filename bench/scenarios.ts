/**
 * The benchmark scenarios: each names a v4 command, whether it writes or reads (the targets
 * differ: writes ≥ 0.5 of the bare baseline, reads ≥ 0.7), how to prepare data outside the
 * measurement, and the body of the i-th request.
 */
import { call } from './harness.js'

export interface Scenario {
  name: string
  kind: 'write' | 'read'
  path: string
  /** Runs once against receiptd before the load; returns nothing the load needs but data in the store. */
  setup?(url: string): Promise<void>
  body(i: number): unknown
  /** Left out of `--quick`. */
  slow?: boolean
}

const IMPORT = 'im_open_login_svc/account_import'
const MULTI = 'im_open_login_svc/multiaccount_import'

async function importUsers(url: string, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const Accounts = Array.from({ length: Math.min(100, count - i) }, (_, k) => `${prefix}${i + k}`)
    await call(url, MULTI, { Accounts })
  }
}

export const scenarios: Scenario[] = [
  {
    name: 'account_import',
    kind: 'write',
    path: IMPORT,
    body: (i) => ({ UserID: `load${i}`, Nick: `user ${i}` }),
  },
  {
    name: 'account_check',
    kind: 'read',
    path: 'im_open_login_svc/account_check',
    setup: (url) => importUsers(url, 'chk', 1000),
    body: (i) => ({ CheckItem: [{ UserID: `chk${i % 1000}` }, { UserID: `nobody${i % 7}` }] }),
  },
]
