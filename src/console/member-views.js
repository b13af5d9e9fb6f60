// The console's group member pages: a group's members with each one's read seq and unread count,
// and one member's unread count explained message by message, as the conversation page does for C2C.
import { api, bodyText, h, time } from './api.js'
import { cursorOf, enc, link, pager, table } from './views.js'

export async function members(params, rerender, [groupId]) {
  const key = `gmembers:${groupId}`
  const page = await api(`groups/${enc(groupId)}/members`, { limit: 100, cursor: cursorOf(key) })
  return h(
    'div',
    {},
    h('h1', {}, `Group ${groupId}`, h('span', { class: 'muted' }, ' · members in the order they joined')),
    table(
      ['Member', 'Role', 'Joined', 'Read seq (MsgSeq)', 'Unread'],
      page.Members.map((m) => {
        const href = `#/groups/${enc(groupId)}/members/${enc(m.Member_Account)}`
        return h(
          'tr',
          { class: 'link', dataset: { member: m.Member_Account }, onclick: () => (location.hash = href) },
          h('td', {}, link(href, m.Member_Account)),
          h('td', {}, m.Role),
          h('td', { class: 'muted' }, time(m.JoinTime)),
          h('td', {}, m.MsgSeq),
          h('td', {}, m.UnreadMsgNum ? h('span', { class: 'badge unread' }, m.UnreadMsgNum) : '0'),
        )
      }),
    ),
    pager(key, page, rerender),
  )
}

const REASON_TEXT = {
  GroupTypeKeepsNoUnread: 'this group type keeps no unread count',
  BeforeReadSeq: 'read (at or before the read seq)',
  OwnMessage: 'own message',
  OnlineOnly: 'online only',
  NoUnread: 'sent with NoUnread',
  Recalled: 'recalled',
  TargetedAtOthers: 'sent to other members only',
}

export async function member(params, rerender, [groupId, user]) {
  const key = `gmember:${groupId}:${user}`
  const m = await api(`groups/${enc(groupId)}/members/${enc(user)}`, { limit: 100, cursor: cursorOf(key) })
  return h(
    'div',
    {},
    h('h1', {}, `${user} in ${groupId}`, h('span', { class: 'muted' }, ` ${m.Type} · as ${user} sees it`)),
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        {},
        h('b', { 'data-testid': 'unread-count' }, m.UnreadMsgNum),
        `unread for ${user} (get_joined_group_list, get_group_member_info)`,
      ),
      h('div', {}, h('b', {}, m.RecountedUnreadMsgNum), 'recounted from the messages'),
      h('div', {}, h('b', {}, m.MsgSeq), `${user} read up to MsgSeq`),
      h('div', {}, h('b', {}, m.LastMsgSeq), "the group's newest MsgSeq"),
      m.Drift !== 0 &&
        h(
          'div',
          { class: 'drift' },
          `the stored count drifted by ${-m.Drift}: run a recount with repair under Tools`,
        ),
    ),
    h(
      'p',
      { class: 'muted' },
      `A group message counts as unread for ${user} when its MsgSeq is after ${user}'s read seq and it is not ${user}'s own, not recalled, not online only, not sent with NoUnread, and sent to the whole group or to ${user}. Sending moves the sender's read seq; set_unread_msg_num and import_group_member place it.`,
    ),
    table(
      ['MsgSeq', 'Time', 'From', 'Message', `For ${user}`],
      m.Messages.map((x) =>
        h(
          'tr',
          { dataset: { seq: x.MsgSeq } },
          h('td', {}, x.MsgSeq),
          h('td', { class: 'muted' }, time(x.MsgTime)),
          h('td', {}, x.From_Account),
          h('td', {}, x.Recalled ? h('s', {}, bodyText(x.MsgBody)) : bodyText(x.MsgBody)),
          h(
            'td',
            { class: 'read-state' },
            x.Unread
              ? h('span', { class: 'badge unread' }, 'unread')
              : x.NotUnreadBecause.map((r) =>
                  h('span', { class: `badge ${r === 'BeforeReadSeq' ? 'read' : ''}` }, REASON_TEXT[r] ?? r),
                ),
          ),
        ),
      ),
    ),
    pager(key, m, rerender),
  )
}
