/**
 * A fake database for the dependencies example: an in-memory pool of connections with
 * transactions. It counts the connections it hands out and gets back, so the tests can check
 * that every request releases its connection, whatever its outcome.
 */

export interface Item {
  id: number
  name: string
}

/** What a route sees of a connection (a real driver's client, in a real app). */
export interface Db {
  listItems (skip: number, limit: number): Promise<Item[]>
  findItem (name: string): Promise<Item | undefined>
  insertItem (name: string): Promise<Item>
  log (entry: string): Promise<void>
  begin (): Promise<void>
  commit (): Promise<void>
  rollback (): Promise<void>
  release (): void
}

/** The committed state and the connection counters, shared by every connection of the pool. */
export class Pool {
  /** Connections handed out so far. */
  opened = 0
  /** Connections given back so far; equal to `opened` once every request is done. */
  released = 0
  /** Transactions rolled back so far. */
  rolledBack = 0
  readonly items: Item[]
  readonly auditLog: string[] = []
  #nextId: number

  constructor (names: readonly string[] = ['Foo', 'Bar', 'Baz']) {
    this.items = names.map((name, i) => ({ id: i + 1, name }))
    this.#nextId = names.length + 1
  }

  async connect (): Promise<Db> {
    this.opened++
    return new Connection(this)
  }

  /** @internal Ids are taken even by rolled-back inserts, as a database sequence does. */
  takeId (): number {
    return this.#nextId++
  }
}

class Connection implements Db {
  readonly #pool: Pool
  // Writes of the open transaction; null outside a transaction, where each write commits at once.
  #pending: { items: Item[], log: string[] } | null = null
  #released = false

  constructor (pool: Pool) {
    this.#pool = pool
  }

  async listItems (skip: number, limit: number): Promise<Item[]> {
    return this.#visible().slice(skip, skip + limit)
  }

  async findItem (name: string): Promise<Item | undefined> {
    return this.#visible().find(item => item.name === name)
  }

  async insertItem (name: string): Promise<Item> {
    this.#check()
    const item = { id: this.#pool.takeId(), name }
    const rows = this.#pending?.items ?? this.#pool.items
    rows.push(item)
    return item
  }

  async log (entry: string): Promise<void> {
    this.#check()
    const log = this.#pending?.log ?? this.#pool.auditLog
    log.push(entry)
  }

  async begin (): Promise<void> {
    this.#check()
    this.#pending = { items: [], log: [] }
  }

  async commit (): Promise<void> {
    this.#check()
    this.#pool.items.push(...this.#pending?.items ?? [])
    this.#pool.auditLog.push(...this.#pending?.log ?? [])
    this.#pending = null
  }

  async rollback (): Promise<void> {
    this.#check()
    this.#pending = null
    this.#pool.rolledBack++
  }

  release (): void {
    this.#check()
    this.#released = true
    this.#pool.released++
  }

  #visible (): Item[] {
    this.#check()
    return [...this.#pool.items, ...this.#pending?.items ?? []]
  }

  // A released connection is back in the pool: using it is a bug the example's tests should see.
  #check (): void {
    if (this.#released) throw new Error('This connection was released')
  }
}
