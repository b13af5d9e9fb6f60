/**
 * The recount (issue 16 §1): every stored counter of an app compared with a recount from the
 * messages and read state — each conversation's unread counter, each user's total, each group's
 * member count, each receipt message's audience and read count — and, on request, repaired. It
 * walks the app in pages, each page a snapshot of its own, so it never holds the write lock long;
 * a repair re-checks under the engine's locks (InspectionStore) and logs each counter it moves.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { GroupId } from '../domain/groups/group-id.js'
import { recountGroup } from '../domain/read-state/recount.js'
import type { C2CDrift, GroupReadState, TotalDrift } from '../store/inspection.js'
import type { Store } from '../store/store.js'
import type { InspectRequest } from './request.js'

const BATCH = 500
/** At most this many drifts of each kind are listed; all of them are counted and repaired. */
const LISTED = 1000
const GROUP_RETRIES = 5

interface GroupDrift {
  groupId: GroupId
  seq: number | undefined
  counter: 'MemberNum' | 'Audience' | 'ReadNum'
  stored: number
  recounted: number
}

export async function recount(store: Store, r: InspectRequest, repair: boolean) {
  const app = r.app.sdkAppId
  const c2c: C2CDrift[] = []
  let c2cChecked = 0
  for (let after: C2CDrift | undefined, more = true; more;) {
    const page = await store.read(app, (tx) => tx.inspection.c2cDrift({ after, limit: BATCH }))
    c2cChecked += page.items.length
    c2c.push(...page.items.filter((d) => d.stored !== d.recounted))
    after = page.items.at(-1)
    more = page.more
  }
  if (repair) {
    for (const d of c2c) {
      const fixed = await store.transaction(app, (tx) => tx.maintenance.repairConversation(d.owner, d.peer))
      r.log.warn({ sdkAppId: app, owner: d.owner, peer: d.peer, ...fixed }, 'repaired a C2C unread counter')
    }
  }

  // Totals after the conversations are right: each total is the sum of its conversations.
  const totals: TotalDrift[] = []
  let totalsChecked = 0
  for (let after: UserId | undefined, more = true; more;) {
    const page = await store.read(app, (tx) => tx.inspection.totalDrift({ after, limit: BATCH }))
    totalsChecked += page.items.length
    totals.push(...page.items.filter((d) => d.stored !== d.recounted))
    after = page.items.at(-1)?.user
    more = page.more
  }
  if (repair) {
    for (const d of totals) {
      const fixed = await store.transaction(app, (tx) => tx.maintenance.repairTotal(d.user))
      r.log.warn({ sdkAppId: app, user: d.user, ...fixed }, 'repaired a C2C unread total')
    }
  }

  const groups: GroupDrift[] = []
  let groupsChecked = 0
  for (let after: GroupId | undefined, more = true; more;) {
    const page = await store.read(app, (tx) => tx.inspection.groupIds({ after, limit: BATCH }))
    for (const groupId of page.items) {
      groupsChecked++
      groups.push(...(await checkGroup(store, r, groupId, repair)))
    }
    after = page.items.at(-1)
    more = page.more
  }

  const listed = <T>(xs: T[]) => xs.slice(0, LISTED)
  return {
    Repaired: repair ? 1 : 0,
    C2C: {
      Checked: c2cChecked,
      DriftCount: c2c.length,
      Drift: listed(c2c).map((d) => ({
        Owner_Account: d.owner,
        Peer_Account: d.peer,
        Stored: d.stored,
        Recounted: d.recounted,
      })),
    },
    C2CTotals: {
      Checked: totalsChecked,
      DriftCount: totals.length,
      Drift: listed(totals).map((d) => ({ UserID: d.user, Stored: d.stored, Recounted: d.recounted })),
    },
    Groups: {
      Checked: groupsChecked,
      DriftCount: groups.length,
      Drift: listed(groups).map((d) => ({
        GroupId: d.groupId,
        ...(d.seq !== undefined && { MsgSeq: d.seq }),
        Counter: d.counter,
        Stored: d.stored,
        Recounted: d.recounted,
      })),
    },
  }
}

function groupDrift(state: GroupReadState): GroupDrift[] {
  const fresh = recountGroup(state)
  const out: GroupDrift[] = []
  const groupId = state.group.groupId
  if (fresh.memberCount !== state.group.memberCount) {
    out.push({
      groupId,
      seq: undefined,
      counter: 'MemberNum',
      stored: state.group.memberCount,
      recounted: fresh.memberCount,
    })
  }
  for (const m of state.receiptMessages) {
    const c = fresh.messages.get(m.seq)!
    if (c.audience !== m.audience)
      out.push({ groupId, seq: m.seq, counter: 'Audience', stored: m.audience, recounted: c.audience })
    if (c.readCount !== m.readCount)
      out.push({ groupId, seq: m.seq, counter: 'ReadNum', stored: m.readCount, recounted: c.readCount })
  }
  return out
}

/** One group's drift; with `repair`, a compare-and-set of what drifted, recounted on a conflict. */
async function checkGroup(
  store: Store,
  r: InspectRequest,
  groupId: GroupId,
  repair: boolean,
): Promise<GroupDrift[]> {
  const app = r.app.sdkAppId
  let first: GroupDrift[] | undefined
  for (let attempt = 0; attempt < GROUP_RETRIES; attempt++) {
    const state = await store.read(app, (tx) => tx.inspection.groupReadState(groupId))
    if (state === undefined) return first ?? []
    const drift = groupDrift(state)
    first ??= drift
    if (!repair || drift.length === 0) return first
    const fresh = recountGroup(state)
    const seqs = new Set(drift.flatMap((d) => (d.seq === undefined ? [] : [d.seq])))
    const fix = {
      memberCount:
        fresh.memberCount === state.group.memberCount
          ? undefined
          : { expected: state.group.memberCount, value: fresh.memberCount },
      messages: state.receiptMessages
        .filter((m) => seqs.has(m.seq))
        .map((m) => ({
          seq: m.seq,
          expected: { audience: m.audience, readCount: m.readCount },
          ...fresh.messages.get(m.seq)!,
        })),
    }
    const done = await store
      .transaction(app, async (tx) => {
        if (!(await tx.maintenance.repairGroupCounters(groupId, fix))) throw new ConcurrentChange()
        return true
      })
      .catch((e: unknown) => {
        if (e instanceof ConcurrentChange) return false
        throw e
      })
    if (done) {
      for (const d of drift) r.log.warn({ sdkAppId: app, ...d }, 'repaired a group receipt counter')
      return first
    }
  }
  r.log.warn(
    { sdkAppId: app, groupId },
    'group counters kept changing while being repaired; left for the next recount',
  )
  return first ?? []
}

/** A counter moved between the recount and its repair: the repair is rolled back and redone. */
class ConcurrentChange extends Error {}
