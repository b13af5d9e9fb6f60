// The console's pages for accounts → conversations → one conversation with its unread count
// explained, and the paging they share with the group pages. Every list is paged with the API's
// cursors, so a 100,000-member group costs one page at a time.
import { api, bodyText, h, time } from './api.js'

/** Cursor stacks per list, so a live refresh stays on the page being looked at. */
const cursors = new Map()

export function pager(key, page, rerender) {
  const stack = cursors.get(key) ?? ['0']
  return h(
    'div',
    { class: 'pager' },
    h(
      'button',
      { disabled: stack.length <= 1, onclick: () => (stack.pop(), cursors.set(key, stack), rerender()) },
      '◀ Previous',
    ),
    h('span', { class: 'muted' }, `page ${stack.length}`),
    h(
      'button',
      {
        disabled: page.IsFinish === 1,
        'data-testid': 'next',
        onclick: () => (stack.push(page.Cursor), cursors.set(key, stack), rerender()),
      },
      'Next ▶',
    ),
  )
}

/** Which page of `key` is shown, counting from 1. */
export const pageNumber = (key) => (cursors.get(key) ?? ['0']).length

export const cursorOf = (key) => (cursors.get(key) ?? ['0']).at(-1)

export function table(headers, rows) {
  return h(
    'table',
    {},
    h(
      'tr',
      {},
      headers.map((x) => h('th', {}, x)),
    ),
    rows,
  )
}

export const link = (href, text) => h('a', { href }, text)
export const enc = encodeURIComponent

export async function accounts(params, rerender) {
  const prefix = params.get('prefix') ?? ''
  const key = `accounts:${prefix}`
  const page = await api('accounts', { prefix, limit: 50, cursor: cursorOf(key) })
  const search = h('input', { placeholder: 'UserID prefix', value: prefix, 'data-testid': 'account-search' })
  return h(
    'div',
    {},
    h('h1', {}, 'Accounts'),
    h(
      'form',
      { onsubmit: (e) => (e.preventDefault(), (location.hash = `#/accounts?prefix=${enc(search.value)}`)) },
      search,
      ' ',
      h('button', {}, 'Search'),
    ),
    table(
      ['UserID', 'Nick', 'Created'],
      page.Accounts.map((a) =>
        h(
          'tr',
          { class: 'link', onclick: () => (location.hash = `#/accounts/${enc(a.UserID)}`) },
          h('td', {}, link(`#/accounts/${enc(a.UserID)}`, a.UserID)),
          h('td', {}, a.Nick),
          h('td', { class: 'muted' }, time(a.CreateTime)),
        ),
      ),
    ),
    pager(key, page, rerender),
  )
}

export async function account(params, rerender, [user]) {
  const key = `conversations:${user}`
  const [one, convs] = await Promise.all([
    api(`accounts/${enc(user)}`),
    api(`accounts/${enc(user)}/conversations`, { limit: 50, cursor: cursorOf(key) }),
  ])
  const t = one.Totals
  return h(
    'div',
    {},
    h('h1', {}, `Account ${user}`),
    h(
      'div',
      { class: 'summary' },
      h('div', {}, h('b', { 'data-testid': 'total-unread' }, t.C2CUnreadMsgNum), 'C2C unread'),
      h('div', {}, h('b', {}, t.Conversations), 'conversations'),
      h('div', {}, h('b', {}, t.Groups), 'groups'),
      h('div', {}, h('b', {}, one.Account.Nick || '—'), 'nick'),
    ),
    h('h2', {}, 'Conversations'),
    table(
      ['Peer', `${user} read up to`, `${user}'s unread`, 'Peer read up to'],
      convs.Conversations.map((c) => {
        const href = `#/accounts/${enc(user)}/${enc(c.Peer_Account)}`
        return h(
          'tr',
          { class: 'link', onclick: () => (location.hash = href) },
          h('td', {}, link(href, c.Peer_Account)),
          h('td', {}, time(c.ReadTime)),
          h('td', {}, c.UnreadMsgNum ? h('span', { class: 'badge unread' }, c.UnreadMsgNum) : '0'),
          h('td', {}, time(c.PeerReadTime)),
        )
      }),
    ),
    pager(key, convs, rerender),
  )
}

const REASON_TEXT = {
  OwnMessage: 'own message',
  SentToSelf: 'sent to self',
  NoUnread: 'sent with NoUnread',
  OnlineOnly: 'online only',
  ImportedAsRead: 'imported as read',
  ConversationDeleted: 'conversation deleted',
  Recalled: 'recalled',
  BeforeReadTime: 'read (before the read time)',
  NotCounted: 'not counted',
}

export async function conversation(params, rerender, [user, peer]) {
  const key = `messages:${user}:${peer}`
  const c = await api(`accounts/${enc(user)}/conversations/${enc(peer)}`, {
    limit: 100,
    cursor: cursorOf(key),
  })
  return h(
    'div',
    {},
    h('h1', {}, `${user} ⇄ ${peer}`, h('span', { class: 'muted' }, ` as ${user} sees it`)),
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        {},
        h('b', { 'data-testid': 'unread-count' }, c.UnreadMsgNum),
        `unread for ${user} (get_c2c_unread_msg_num)`,
      ),
      h('div', {}, h('b', {}, c.RecountedUnreadMsgNum), 'recounted from the messages'),
      h('div', {}, h('b', {}, time(c.ReadTime)), `${user} read up to`),
      h('div', {}, h('b', {}, time(c.PeerReadTime)), `${peer} read up to`),
      c.Drift !== 0 &&
        h(
          'div',
          { class: 'drift' },
          `the stored count drifted by ${-c.Drift}: run a recount with repair under Tools`,
        ),
    ),
    h(
      'p',
      { class: 'muted' },
      `A message counts as unread for ${user} when ${peer} sent it after ${user}'s read time and it is not recalled, not sent with NoUnread and not imported as read.`,
    ),
    table(
      ['Time', 'From → To', 'Message', 'MsgKey', 'Receipt', `For ${user}`],
      c.Messages.map((m) =>
        h(
          'tr',
          { dataset: { msgkey: m.MsgKey } },
          h('td', { class: 'muted' }, time(m.MsgTime)),
          h('td', {}, `${m.From_Account} → ${m.To_Account}`),
          h('td', {}, m.Recalled ? h('s', {}, bodyText(m.MsgBody)) : bodyText(m.MsgBody)),
          h('td', { class: 'muted' }, m.MsgKey),
          h(
            'td',
            {},
            m.IsNeedReadReceipt
              ? h(
                  'span',
                  { class: `badge ${m.IsPeerRead ? 'read' : ''}` },
                  m.IsPeerRead ? 'IsPeerRead' : 'asked',
                )
              : '—',
          ),
          h(
            'td',
            { class: 'read-state' },
            m.Unread
              ? h('span', { class: 'badge unread' }, 'unread')
              : m.NotUnreadBecause.map((r) =>
                  h('span', { class: `badge ${r === 'BeforeReadTime' ? 'read' : ''}` }, REASON_TEXT[r] ?? r),
                ),
            m.ReadByPeer ? h('span', { class: 'badge read' }, `read by ${peer}`) : null,
          ),
        ),
      ),
    ),
    pager(key, c, rerender),
  )
}
