/**
 * Test support (issue 16 §2): reset one app, load fixtures, export. Reset and load change or wipe
 * everything, so they answer only for apps with `testSupport: true` (the development app has it);
 * export only reads and is open to every app's admins.
 */
import type { AppConfig } from '../config/config.js'
import type { UserId } from '../domain/accounts/user-id.js'
import { checkUserId } from '../domain/accounts/user-id.js'
import type { Clock } from '../domain/clock.js'
import { TencentError } from '../domain/codes.js'
import type { Store } from '../store/store.js'
import { parseFixtures, type FixtureDocument } from './fixture-format.js'
import { exportFixtures, renderFixtures } from './fixture-export.js'
import { loadFixtures, type LoadCounts } from './fixtures.js'
import { param, type InspectRequest } from './request.js'

function requireTestSupport(app: AppConfig): void {
  if (app.testSupport !== true) {
    throw new TencentError(
      60009,
      `reset and fixtures are off for app ${app.sdkAppId}: set testSupport: true in its config to allow them`,
    )
  }
}

/** Admins sign every call, so they exist as accounts again right after a reset. */
async function importAdmins(store: Store, app: AppConfig, clock: Clock): Promise<void> {
  const admins = app.admins.flatMap((a) => {
    const c = checkUserId(a)
    return c.ok ? [c.userId as UserId] : []
  })
  await store.transaction(app.sdkAppId, (tx) =>
    tx.accounts.importAccounts(
      admins.map((userId) => ({ userId, nick: undefined, faceUrl: undefined })),
      clock.nowSeconds(),
    ),
  )
}

export async function resetApp(store: Store, clock: Clock, r: InspectRequest) {
  requireTestSupport(r.app)
  await store.resetApp(r.app.sdkAppId)
  await importAdmins(store, r.app, clock)
  r.log.warn({ sdkAppId: r.app.sdkAppId }, 'app reset: every account, message, group and event deleted')
  return {}
}

/** Loads a parsed document into `app` in one transaction. */
export async function loadDocument(
  store: Store,
  clock: Clock,
  app: AppConfig,
  doc: FixtureDocument,
): Promise<LoadCounts> {
  return store.transaction(app.sdkAppId, (tx) => loadFixtures(tx, doc, clock.nowSeconds()))
}

/** `POST /api/apps/<id>/fixtures` with a JSON or YAML body; `?reset=1` empties the app first. */
export async function postFixtures(store: Store, clock: Clock, r: InspectRequest) {
  requireTestSupport(r.app)
  const doc = parseFixtures((r.body ?? Buffer.alloc(0)).toString('utf8'))
  if (r.query.get('reset') === '1') {
    await store.resetApp(r.app.sdkAppId)
    await importAdmins(store, r.app, clock)
  }
  const loaded = await loadDocument(store, clock, r.app, doc)
  r.log.info({ sdkAppId: r.app.sdkAppId, ...loaded }, 'fixtures loaded')
  return { Loaded: loaded }
}

export async function exportApp(store: Store, r: InspectRequest) {
  const format = r.query.get('format') ?? 'json'
  if (format !== 'json' && format !== 'yaml') throw new TencentError(60002, 'format must be json or yaml')
  const doc = await store.read(r.app.sdkAppId, (tx) => exportFixtures(tx, new Set(r.app.admins)))
  return renderFixtures(doc, format)
}

/**
 * `POST /api/apps/<id>/accounts/<UserID>/pin?peer=<UserID>|group=<GroupId>[&pinned=0]`: pins (or
 * unpins) an entry of the user's conversation list, as a client does; no REST API of Tencent can
 * (spec part 2 §17.1). 60009 when the user has no such entry (C2C) or is not in the group.
 */
export async function pinConversation(store: Store, r: InspectRequest) {
  requireTestSupport(r.app)
  const owner = param(r, 'userId') as UserId
  const peer = r.query.get('peer')
  const group = r.query.get('group')
  if ((peer === undefined) === (group === undefined))
    throw new TencentError(60002, 'give either peer or group')
  const flag = r.query.get('pinned') ?? '1'
  if (flag !== '0' && flag !== '1') throw new TencentError(60002, 'pinned must be 0 or 1')
  const kind = peer !== undefined ? 'c2c' : 'group'
  const id = (peer ?? group)!
  const done = await store.transaction(r.app.sdkAppId, (tx) =>
    tx.recent.setPinned(owner, kind, id, flag === '1'),
  )
  if (!done)
    throw new TencentError(60009, `${owner} has no conversation with ${kind === 'c2c' ? '' : 'group '}${id}`)
  return { TopFlag: Number(flag) }
}
