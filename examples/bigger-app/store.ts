/**
 * A fake item store standing in for a database client, so the example needs no server. The
 * app's `lifespan` opens one when the app is ready and closes it when the app closes; every
 * app gets its own, so each test starts from the tutorial's two items.
 */
import type { JsonValue } from '../../lib/index.js'

/** An item as stored: JSON data only, as a document database would keep it. */
export type StoredItem = { name: string } & Record<string, JsonValue>

export class ItemStore {
  /** The tutorial's `fake_items_db`. */
  readonly items: Record<string, StoredItem> = { plumbus: { name: 'Plumbus' }, gun: { name: 'Portal Gun' } }
  /** The id of the item written last: the seed's last item until an update. */
  latest = 'gun'
  /** One line per change, written by background tasks after the response. */
  readonly audit: string[] = []
  open = false

  async connect (): Promise<void> {
    this.open = true
  }

  async disconnect (): Promise<void> {
    this.open = false
  }

  save (itemId: string, item: StoredItem): void {
    this.checkOpen()
    this.items[itemId] = item
    this.latest = itemId
  }

  async record (line: string): Promise<void> {
    this.checkOpen()
    this.audit.push(line)
  }

  private checkOpen (): void {
    if (!this.open) throw new Error('the item store is closed')
  }
}
