/**
 * One valid body per command, the starting point the fuzz test mutates. Users `alice`, `bob` and
 * `carol` exist when they are used.
 */
export const sampleBodies: Record<string, Record<string, unknown>> = {
  'im_open_login_svc/account_import': { UserID: 'fuzz1', Nick: 'n', FaceUrl: 'http://x/y.png' },
  'im_open_login_svc/multiaccount_import': { Accounts: ['fuzz2', 'fuzz3'] },
  'im_open_login_svc/account_delete': { DeleteItem: [{ UserID: 'fuzz2' }] },
  'im_open_login_svc/account_check': { CheckItem: [{ UserID: 'alice' }] },
}
