/**
 * The inspection API and test support as one table of routes (issue 16): path, what it does, its
 * query parameters and the function that answers. The gateway mounts them behind the app's admin
 * UserSig (the same checks and codes as /v4) and the OpenAPI description is written from the same
 * table, so the two cannot disagree.
 */
import type { Clock } from '../domain/clock.js'
import type { Store } from '../store/store.js'
import { getAccount, listAccounts, listConversations } from './accounts.js'
import { explainConversation } from './conversation.js'
import { getGroup, listGroupMembers, listGroupMessages, listGroups, listReaders } from './groups.js'
import { recount } from './recount.js'
import type { InspectRequest } from './request.js'
import { exportApp, pinConversation, postFixtures, resetApp } from './test-support.js'
import { getDelivery } from './webhooks.js'

export interface QueryParam {
  name: string
  description: string
}

export interface InspectRoute {
  method: 'GET' | 'POST'
  path: string
  summary: string
  query: readonly QueryParam[]
  /** Fields of the success envelope, or a document sent as it is. */
  run(r: InspectRequest): Promise<Record<string, unknown> | { contentType: string; body: string; raw: true }>
}

/** A stream of server-sent `change` events for one app. */
export interface EventRoute {
  method: 'GET'
  path: string
  summary: string
  query: readonly QueryParam[]
  stream(r: InspectRequest, send: (event: string, data: unknown) => void): () => void
}

const paged: QueryParam[] = [
  { name: 'limit', description: 'items per page, 1 to 200 (default 20)' },
  { name: 'cursor', description: 'the Cursor of the previous page; absent or "0" for the first' },
]
const prefix: QueryParam = { name: 'prefix', description: 'only ids that start with this' }

/** Changes reported within this many ms of each other go out as one event. */
const COALESCE_MS = 100

export function inspectRoutes(deps: { store: Store; clock: Clock }): {
  routes: InspectRoute[]
  events: EventRoute
} {
  const { store, clock } = deps
  const app = '/api/apps/:sdkAppId'
  const routes: InspectRoute[] = [
    {
      method: 'GET',
      path: `${app}/accounts`,
      summary: 'Accounts, by UserID',
      query: [prefix, ...paged],
      run: (r) => listAccounts(store, r),
    },
    {
      method: 'GET',
      path: `${app}/accounts/:userId`,
      summary: 'One account with its totals',
      query: [],
      run: (r) => getAccount(store, r),
    },
    {
      method: 'GET',
      path: `${app}/accounts/:userId/conversations`,
      summary: "A user's C2C conversations with the read time and unread count of each side",
      query: paged,
      run: (r) => listConversations(store, r),
    },
    {
      method: 'GET',
      path: `${app}/accounts/:userId/conversations/:peer`,
      summary:
        "One conversation from the user's side: its unread count explained (stored, recounted) and its messages oldest first, each with why it is or is not unread",
      query: paged,
      run: (r) => explainConversation(store, r),
    },
    {
      method: 'GET',
      path: `${app}/groups`,
      summary: 'Groups, by GroupId',
      query: [prefix, ...paged],
      run: (r) => listGroups(store, r),
    },
    {
      method: 'GET',
      path: `${app}/groups/:groupId`,
      summary: 'One group',
      query: [],
      run: (r) => getGroup(store, r),
    },
    {
      method: 'GET',
      path: `${app}/groups/:groupId/members`,
      summary: "A group's members in the order they joined",
      query: paged,
      run: (r) => listGroupMembers(store, r),
    },
    {
      method: 'GET',
      path: `${app}/groups/:groupId/messages`,
      summary: "A group's messages newest first, with ReadNum and UnreadNum of each receipt message",
      query: paged,
      run: (r) => listGroupMessages(store, r),
    },
    {
      method: 'GET',
      path: `${app}/groups/:groupId/messages/:seq/readers`,
      summary: 'Who has read a receipt message (filter=read) or has not (filter=unread)',
      query: [{ name: 'filter', description: 'read (default) or unread' }, ...paged],
      run: (r) => listReaders(store, r),
    },
    {
      method: 'GET',
      path: `${app}/webhooks/deliveries/:id`,
      summary: 'One webhook delivery: its body as sent and, per attempt, the exact URL with its query',
      query: [],
      run: (r) => getDelivery(store, r),
    },
    {
      method: 'POST',
      path: `${app}/recount`,
      summary:
        'Compares every stored counter of the app with a recount from the messages and read state; repair=1 sets the drifted ones right (each logged)',
      query: [{ name: 'repair', description: '1 to repair what drifted' }],
      run: (r) => recount(store, r, r.query.get('repair') === '1'),
    },
    {
      method: 'POST',
      path: `${app}/reset`,
      summary:
        'Deletes every account (admins are imported again), message, group, read state and event of the app',
      query: [],
      run: (r) => resetApp(store, clock, r),
    },
    {
      method: 'POST',
      path: `${app}/fixtures`,
      summary: 'Loads a fixture document (JSON or YAML body, docs/fixtures.md) in one transaction',
      query: [{ name: 'reset', description: '1 to empty the app first' }],
      run: (r) => postFixtures(store, clock, r),
    },
    {
      method: 'POST',
      path: `${app}/accounts/:userId/pin`,
      summary:
        "Pins (or unpins) an entry of the user's conversation list, as a client does; recentcontact/get_list shows it in its pinned section",
      query: [
        { name: 'peer', description: 'the C2C peer of the entry' },
        { name: 'group', description: 'or the GroupId of the entry' },
        { name: 'pinned', description: '1 (default) to pin, 0 to unpin' },
      ],
      run: (r) => pinConversation(store, r),
    },
    {
      method: 'GET',
      path: `${app}/export`,
      summary: 'The app as a fixture document, which POST …/fixtures loads back',
      query: [{ name: 'format', description: 'json (default) or yaml' }],
      run: async (r) => ({ ...(await exportApp(store, r)), raw: true as const }),
    },
  ]
  const events: EventRoute = {
    method: 'GET',
    path: `${app}/events`,
    summary:
      'Server-sent events: `change` within a second of any commit that may have changed the app, on this instance or (PostgreSQL) another',
    query: [],
    stream(r, send) {
      let timer: NodeJS.Timeout | undefined
      const off = store.onCommit(
        (sdkAppId) => {
          if (sdkAppId !== undefined && sdkAppId !== r.app.sdkAppId) return
          timer ??= setTimeout(() => {
            timer = undefined
            send('change', { SdkAppId: r.app.sdkAppId, TimeMs: clock.nowMs() })
          }, COALESCE_MS)
        },
        // `ready` promises that every commit from then on is reported.
        () => send('ready', { SdkAppId: r.app.sdkAppId }),
      )
      return () => {
        clearTimeout(timer)
        off()
      }
    },
  }
  return { routes, events }
}
