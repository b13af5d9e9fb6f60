// The console's group pages: groups → messages with read progress → who read / who did not, a
// page of the API's cursor at a time.
import { api, bodyText, h, time } from './api.js'
import { cursorOf, enc, link, pageNumber, pager, table } from './views.js'

export async function groups(params, rerender) {
  const prefix = params.get('prefix') ?? ''
  const key = `groups:${prefix}`
  const page = await api('groups', { prefix, limit: 50, cursor: cursorOf(key) })
  const search = h('input', { placeholder: 'GroupId prefix', value: prefix })
  return h(
    'div',
    {},
    h('h1', {}, 'Groups'),
    h(
      'form',
      { onsubmit: (e) => (e.preventDefault(), (location.hash = `#/groups?prefix=${enc(search.value)}`)) },
      search,
      ' ',
      h('button', {}, 'Search'),
    ),
    table(
      ['GroupId', 'Type', 'Name', 'Owner', 'Members', 'Last MsgSeq'],
      page.Groups.map((g) => {
        const href = `#/groups/${enc(g.GroupId)}`
        return h(
          'tr',
          { class: 'link', onclick: () => (location.hash = href) },
          h('td', {}, link(href, g.GroupId)),
          h('td', {}, g.Type),
          h('td', {}, g.Name),
          h('td', {}, g.Owner_Account),
          h('td', {}, g.MemberNum),
          h('td', {}, g.LastMsgSeq),
        )
      }),
    ),
    pager(key, page, rerender),
  )
}

export async function group(params, rerender, [groupId]) {
  const key = `gmessages:${groupId}`
  const [g, page] = await Promise.all([
    api(`groups/${enc(groupId)}`),
    api(`groups/${enc(groupId)}/messages`, { limit: 50, cursor: cursorOf(key) }),
  ])
  return h(
    'div',
    {},
    h(
      'h1',
      {},
      `Group ${g.Group.GroupId}`,
      h('span', { class: 'muted' }, ` ${g.Group.Type} · `),
      link(`#/groups/${enc(groupId)}/members`, `${g.Group.MemberNum} members`),
    ),
    table(
      ['MsgSeq', 'Time', 'From', 'Message', 'Read progress'],
      page.Messages.map((m) => {
        const total = (m.ReadNum ?? 0) + (m.UnreadNum ?? 0)
        const href = `#/groups/${enc(groupId)}/${m.MsgSeq}`
        return h(
          'tr',
          {
            class: m.NeedReadReceipt ? 'link' : '',
            dataset: { seq: m.MsgSeq },
            onclick: m.NeedReadReceipt ? () => (location.hash = href) : undefined,
          },
          h('td', {}, m.MsgSeq),
          h('td', { class: 'muted' }, time(m.MsgTime)),
          h('td', {}, m.From_Account),
          h('td', {}, m.Recalled ? h('s', {}, bodyText(m.MsgBody)) : bodyText(m.MsgBody)),
          h(
            'td',
            {},
            m.NeedReadReceipt
              ? [
                  h(
                    'span',
                    { class: 'bar' },
                    h('span', { style: `width:${total ? (100 * m.ReadNum) / total : 0}%` }),
                  ),
                  link(href, `${m.ReadNum} read · ${m.UnreadNum} not`),
                ]
              : h('span', { class: 'muted' }, 'no receipt'),
          ),
        )
      }),
    ),
    pager(key, page, rerender),
  )
}

export async function readers(params, rerender, [groupId, seq]) {
  const filter = params.get('filter') === 'unread' ? 'unread' : 'read'
  const key = `readers:${groupId}:${seq}:${filter}`
  const page = await api(`groups/${enc(groupId)}/messages/${enc(seq)}/readers`, {
    filter,
    limit: 100,
    cursor: cursorOf(key),
  })
  const m = page.Message
  const tab = (f, text) =>
    h(
      'button',
      {
        class: f === filter ? 'on' : '',
        onclick: () => (location.hash = `#/groups/${enc(groupId)}/${seq}?filter=${f}`),
      },
      text,
    )
  return h(
    'div',
    {},
    h('h1', {}, `Group ${groupId} · message ${seq}`),
    h(
      'p',
      {},
      bodyText(m.MsgBody),
      h('span', { class: 'muted' }, ` from ${m.From_Account} at ${time(m.MsgTime)}`),
    ),
    h(
      'div',
      { class: 'tabs' },
      tab('read', `Read (${m.ReadNum})`),
      ' ',
      tab('unread', `Not read (${m.UnreadNum})`),
    ),
    h(
      'ol',
      { 'data-testid': 'members', start: pageNumber(key) * 100 - 99 },
      page.Members.map((u) => h('li', {}, u)),
    ),
    pager(key, page, rerender),
  )
}
