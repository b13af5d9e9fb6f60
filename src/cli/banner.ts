/**
 * The start-up banner of the development app: everything a developer needs for a first call,
 * including a `curl` line that works when pasted.
 */
import { signUserSig } from '../auth/tls-sig-api-v2.js'
import type { AppConfig, Config } from '../config/config.js'
import type { KeySource } from '../config/dev-app.js'

const BANNER_SIG_SECONDS = 86400 * 180

/** A wildcard listen address is not something a client can call; point curl at loopback instead. */
function callableUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:')
}

/**
 * The console, signed in as the app's admin. The sign-in rides in the fragment, which the browser
 * never sends to a server, and the page moves it to the tab's session storage at once.
 */
export function consoleLink(
  url: string,
  app: AppConfig,
  admin: string,
  usersig: string,
  to = '/accounts/alice',
): string {
  return `${url}/console/#sdkappid=${app.sdkAppId}&identifier=${encodeURIComponent(admin)}&usersig=${usersig}&to=${to}`
}

export function banner(
  url: string,
  app: AppConfig,
  config: Config,
  keySource: KeySource | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const admin = app.admins[0] ?? 'administrator'
  const usersig = signUserSig({
    sdkAppId: app.sdkAppId,
    secretKey: app.secretKey,
    identifier: admin,
    expireSeconds: BANNER_SIG_SECONDS,
    nowSeconds,
  })
  const query = `sdkappid=${app.sdkAppId}&identifier=${encodeURIComponent(admin)}&usersig=${usersig}&random=1&contenttype=json`
  const where =
    keySource?.kind === 'given'
      ? 'key given by --secret-key or RECEIPTD_SECRET_KEY'
      : keySource?.kind === 'random'
        ? 'in memory: a new random key on every start (fix it with --secret-key)'
        : `kept in ${config.store.dataDir}`
  // A random key is printed, or nothing outside this process could sign for the server.
  const keyLine = keySource?.kind === 'random' ? [`  secret key       ${app.secretKey}`] : []
  return [
    '',
    `receiptd is listening on ${url}`,
    '',
    `  development app  ${where}`,
    `  SDKAppID         ${app.sdkAppId}`,
    `  admin            ${admin}`,
    ...keyLine,
    `  UserSig          ${usersig}`,
    `                   (admin, valid 180 days; more with: receiptd usersig <UserID>)`,
    '',
    '  Try it:',
    `  curl -s -X POST "${callableUrl(url)}/v4/im_open_login_svc/account_import?${query}" -d '{"UserID":"alice"}'`,
    '',
    '  Then watch it in the console (signed in by this link; keep it private like the UserSig):',
    `  ${consoleLink(callableUrl(url), app, admin, usersig)}`,
    '',
    '',
  ].join('\n')
}
