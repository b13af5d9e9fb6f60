/**
 * Who receives a callback: an app with a callback URL whose `commands` list it (spec §7, design.md
 * decision 16). The one rule behind both "is this event written?" (the gateway, as a command
 * enqueues it) and "is it still sent?" (the dispatcher, which skips what an app stopped wanting
 * after the event was written).
 */
import type { AppConfig } from '../config/config.js'
import type { CallbackCommand } from './events.js'

export function receives(app: AppConfig | undefined, command: CallbackCommand): boolean {
  return app?.callback?.commands.includes(command) ?? false
}
