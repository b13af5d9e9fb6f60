/**
 * THE table: `<service>/<command>` → command. Each service folder lists its commands in its
 * index.ts; an unknown key is answered 60009 by the gateway.
 */
import type { Command } from './command.js'
import { groupCommands } from './group_open_http_svc/index.js'
import { loginCommands } from './im_open_login_svc/index.js'
import { openimCommands } from './openim/index.js'
import { profileCommands } from './profile/index.js'
import { recentContactCommands } from './recentcontact/index.js'

const all: readonly Command[] = [
  ...loginCommands,
  ...openimCommands,
  ...groupCommands,
  ...recentContactCommands,
  ...profileCommands,
]

export const commands: ReadonlyMap<string, Command> = new Map(all.map((c) => [`${c.service}/${c.name}`, c]))
