/**
 * Type tests at scale: fifty routes with varied declarations, each checking its inferred
 * arguments. Its job is to make a compile-time blowup of the inference visible in
 * `tsc --extendedDiagnostics` (instantiations, check time), not only in an editor.
 */
import { expectTypeOf } from 'expect-type'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Body, Cookie, Header, Path, Query, status } from '../lib/index.js'

declare const app: FastifyInstance

const UserIn = z.object({ name: z.string(), password: z.string(), tags: z.array(z.string()).default([]) })
const UserOut = z.object({ id: z.number().int(), name: z.string(), created: z.date() })
const Item = z.object({ name: z.string(), price: z.number(), tax: z.number().optional() })
const ItemOut = z.object({ id: z.number().int(), name: z.string(), price: z.number() })

app.api.get('/r0', {
  args: {
    since: Query(z.iso.datetime().optional())
  }
}, ({ since }) => {
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  return { ok: true }
})

app.api.post('/r1', {
  args: {
    skip: Query(z.number().int(), { default: 0 }),
    tags: Query(z.array(z.string())),
    user: Body(UserIn),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: ItemOut
}, async ({ skip, tags, user, count }) => {
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r2', {
  args: {
    q: Query(z.string().optional(), { maxLength: 50 }),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    user: Body(UserIn)
  },
  responseModel: UserOut,
  statusCode: status.HTTP_201_CREATED
}, ({ q, limit, sort, user }) => {
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r3/:id/:slug', {
  args: {
    tags: Query(z.array(z.string())),
    id: Path(z.number().int(), { ge: 1 }),
    slug: Path(z.string(), { minLength: 2 }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' })
  },
  responseModel: z.array(ItemOut)
}, ({ tags, id, slug, theme }) => {
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r4/:slug', {
  args: {
    xTrace: Header(z.array(z.string()).optional()),
    slug: Path(z.string(), { minLength: 2 }),
    q: Query(z.string().optional(), { maxLength: 50 }),
    session: Cookie(z.string().optional()),
    active: Query(z.boolean(), { default: true }),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, ({ xTrace, slug, q, session, active, count }) => {
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(active).toEqualTypeOf<boolean>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return null
})

app.api.get('/r5/:slug', {
  args: {
    slug: Path(z.string(), { minLength: 2 }),
    xTrace: Header(z.array(z.string()).optional()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    q: Query(z.string().optional(), { maxLength: 50 }),
    since: Query(z.iso.datetime().optional())
  }
}, async ({ slug, xTrace, sort, theme, q, since }) => {
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  return { ok: true }
})

app.api.post('/r6/:slug', {
  args: {
    slug: Path(z.string(), { minLength: 2 })
  },
  responseModel: ItemOut
}, ({ slug }) => {
  expectTypeOf(slug).toEqualTypeOf<string>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r7/:id', {
  args: {
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    id: Path(z.number().int(), { ge: 1 }),
    item: Body(Item),
    user: Body(UserIn)
  },
  responseModel: UserOut
}, ({ userAgent, id, item, user }) => {
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r8', {
  args: {
    skip: Query(z.number().int(), { default: 0 }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    tags: Query(z.array(z.string())),
    item: Body(Item)
  },
  responseModel: z.array(ItemOut),
  statusCode: status.HTTP_201_CREATED
}, ({ skip, theme, tags, item }) => {
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r9', {
  args: {
    q: Query(z.string().optional(), { maxLength: 50 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    skip: Query(z.number().int(), { default: 0 }),
    active: Query(z.boolean(), { default: true })
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, async ({ q, sort, skip, active }) => {
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(active).toEqualTypeOf<boolean>()
  return null
})

app.api.get('/r10/:slug', {
  args: {
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    slug: Path(z.string(), { minLength: 2 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    xTrace: Header(z.array(z.string()).optional()),
    since: Query(z.iso.datetime().optional())
  }
}, ({ limit, slug, sort, xTrace, since }) => {
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  return { ok: true }
})

app.api.post('/r11/:slug', {
  args: {
    tags: Query(z.array(z.string())),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    slug: Path(z.string(), { minLength: 2 }),
    active: Query(z.boolean(), { default: true }),
    xToken: Header(z.string()),
    xTrace: Header(z.array(z.string()).optional()),
    user: Body(UserIn),
    note: Body(z.string(), { embed: true })
  },
  responseModel: ItemOut
}, ({ tags, limit, slug, active, xToken, xTrace, user, note }) => {
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(active).toEqualTypeOf<boolean>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r12', {
  args: {
    tags: Query(z.array(z.string()))
  },
  responseModel: UserOut
}, ({ tags }) => {
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r13', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    since: Query(z.iso.datetime().optional()),
    count: Body(z.number().int(), { default: 1 }),
    item: Body(Item)
  },
  responseModel: z.array(ItemOut)
}, async ({ theme, since, count, item }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(count).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r14', {
  args: {
    session: Cookie(z.string().optional()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    ids: Query(z.array(z.number().int()).optional()),
    note: Body(z.string(), { embed: true })
  },
  responseModel: ItemOut.nullable(),
  statusCode: status.HTTP_201_CREATED,
  tags: ['many']
}, ({ session, sort, ids, note }) => {
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return null
})

app.api.get('/r15/:kind', {
  args: {
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    q: Query(z.string().optional(), { maxLength: 50 }),
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    kind: Path(z.enum(['a', 'b', 'c']))
  }
}, ({ sort, q, userAgent, kind }) => {
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  return { ok: true }
})

app.api.post('/r16/:slug', {
  args: {
    ids: Query(z.array(z.number().int()).optional()),
    slug: Path(z.string(), { minLength: 2 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    skip: Query(z.number().int(), { default: 0 }),
    active: Query(z.boolean(), { default: true }),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: ItemOut
}, ({ ids, slug, sort, skip, active, count }) => {
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(active).toEqualTypeOf<boolean>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r17/:slug', {
  args: {
    since: Query(z.iso.datetime().optional()),
    xToken: Header(z.string()),
    ids: Query(z.array(z.number().int()).optional()),
    skip: Query(z.number().int(), { default: 0 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    slug: Path(z.string(), { minLength: 2 }),
    user: Body(UserIn),
    note: Body(z.string(), { embed: true })
  },
  responseModel: UserOut
}, async ({ since, xToken, ids, skip, sort, slug, user, note }) => {
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r18', {
  args: {
    xTrace: Header(z.array(z.string()).optional())
  },
  responseModel: z.array(ItemOut)
}, ({ xTrace }) => {
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r19', {
  args: {
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    note: Body(z.string(), { embed: true }),
    user: Body(UserIn)
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, ({ limit, userAgent, note, user }) => {
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(note).toEqualTypeOf<string>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return null
})

app.api.get('/r20/:id', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    tags: Query(z.array(z.string())),
    id: Path(z.number().int(), { ge: 1 })
  },
  statusCode: status.HTTP_201_CREATED
}, ({ theme, tags, id }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(id).toEqualTypeOf<number>()
  return { ok: true }
})

app.api.post('/r21/:kind', {
  args: {
    kind: Path(z.enum(['a', 'b', 'c'])),
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    active: Query(z.boolean(), { default: true }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' })
  },
  responseModel: ItemOut
}, async ({ kind, userAgent, active, sort }) => {
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(active).toEqualTypeOf<boolean>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r22', {
  args: {
    since: Query(z.iso.datetime().optional()),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    xToken: Header(z.string()),
    session: Cookie(z.string().optional()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: UserOut
}, ({ since, limit, xToken, session, sort, count }) => {
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r23/:slug', {
  args: {
    session: Cookie(z.string().optional()),
    slug: Path(z.string(), { minLength: 2 }),
    xTrace: Header(z.array(z.string()).optional()),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    skip: Query(z.number().int(), { default: 0 }),
    ids: Query(z.array(z.number().int()).optional()),
    user: Body(UserIn),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: z.array(ItemOut)
}, ({ session, slug, xTrace, theme, skip, ids, user, count }) => {
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r24', {
  args: {
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' })
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, ({ sort }) => {
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  return null
})

app.api.get('/r25', {
  args: {
    session: Cookie(z.string().optional()),
    skip: Query(z.number().int(), { default: 0 })
  }
}, async ({ session, skip }) => {
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  return { ok: true }
})

app.api.post('/r26', {
  args: {
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    session: Cookie(z.string().optional()),
    since: Query(z.iso.datetime().optional()),
    note: Body(z.string(), { embed: true })
  },
  responseModel: ItemOut,
  statusCode: status.HTTP_201_CREATED
}, ({ userAgent, session, since, note }) => {
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r27/:id/:kind', {
  args: {
    id: Path(z.number().int(), { ge: 1 }),
    ids: Query(z.array(z.number().int()).optional()),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    kind: Path(z.enum(['a', 'b', 'c']))
  },
  responseModel: UserOut
}, ({ id, ids, limit, kind }) => {
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r28/:id', {
  args: {
    q: Query(z.string().optional(), { maxLength: 50 }),
    ids: Query(z.array(z.number().int()).optional()),
    id: Path(z.number().int(), { ge: 1 }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    skip: Query(z.number().int(), { default: 0 }),
    item: Body(Item)
  },
  responseModel: z.array(ItemOut)
}, ({ q, ids, id, theme, skip, item }) => {
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r29/:slug/:kind', {
  args: {
    ids: Query(z.array(z.number().int()).optional()),
    tags: Query(z.array(z.string())),
    session: Cookie(z.string().optional()),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    slug: Path(z.string(), { minLength: 2 }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    count: Body(z.number().int(), { default: 1 }),
    item: Body(Item)
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, async ({ ids, tags, session, theme, slug, kind, count, item }) => {
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(count).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  return null
})

app.api.get('/r30', {
  args: {
    active: Query(z.boolean(), { default: true })
  }
}, ({ active }) => {
  expectTypeOf(active).toEqualTypeOf<boolean>()
  return { ok: true }
})

app.api.post('/r31', {
  args: {
    skip: Query(z.number().int(), { default: 0 }),
    xTrace: Header(z.array(z.string()).optional()),
    count: Body(z.number().int(), { default: 1 }),
    note: Body(z.string(), { embed: true })
  },
  responseModel: ItemOut
}, ({ skip, xTrace, count, note }) => {
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(count).toEqualTypeOf<number>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r32', {
  args: {
    active: Query(z.boolean(), { default: true }),
    xToken: Header(z.string()),
    tags: Query(z.array(z.string())),
    note: Body(z.string(), { embed: true })
  },
  responseModel: UserOut,
  statusCode: status.HTTP_201_CREATED
}, ({ active, xToken, tags, note }) => {
  expectTypeOf(active).toEqualTypeOf<boolean>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r33/:kind/:slug', {
  args: {
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    q: Query(z.string().optional(), { maxLength: 50 }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    slug: Path(z.string(), { minLength: 2 })
  },
  responseModel: z.array(ItemOut)
}, async ({ userAgent, q, kind, slug }) => {
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r34/:kind', {
  args: {
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    q: Query(z.string().optional(), { maxLength: 50 }),
    since: Query(z.iso.datetime().optional()),
    xTrace: Header(z.array(z.string()).optional()),
    user: Body(UserIn)
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, ({ limit, kind, q, since, xTrace, user }) => {
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return null
})

app.api.get('/r35/:kind', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    xTrace: Header(z.array(z.string()).optional()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    skip: Query(z.number().int(), { default: 0 }),
    xToken: Header(z.string())
  }
}, ({ theme, xTrace, sort, kind, skip, xToken }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  return { ok: true }
})

app.api.post('/r36/:id', {
  args: {
    id: Path(z.number().int(), { ge: 1 })
  },
  responseModel: ItemOut
}, ({ id }) => {
  expectTypeOf(id).toEqualTypeOf<number>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r37', {
  args: {
    skip: Query(z.number().int(), { default: 0 }),
    tags: Query(z.array(z.string())),
    note: Body(z.string(), { embed: true }),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: UserOut
}, async ({ skip, tags, note, count }) => {
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(note).toEqualTypeOf<string>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r38/:kind', {
  args: {
    since: Query(z.iso.datetime().optional()),
    kind: Path(z.enum(['a', 'b', 'c'])),
    xToken: Header(z.string()),
    user: Body(UserIn)
  },
  responseModel: z.array(ItemOut),
  statusCode: status.HTTP_201_CREATED
}, ({ since, kind, xToken, user }) => {
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r39', {
  args: {
    session: Cookie(z.string().optional()),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    xTrace: Header(z.array(z.string()).optional()),
    userAgent: Header(z.string().optional(), { alias: 'user-agent' })
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, ({ session, theme, xTrace, userAgent }) => {
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  return null
})

app.api.get('/r40/:slug', {
  args: {
    userAgent: Header(z.string().optional(), { alias: 'user-agent' }),
    tags: Query(z.array(z.string())),
    session: Cookie(z.string().optional()),
    xTrace: Header(z.array(z.string()).optional()),
    slug: Path(z.string(), { minLength: 2 })
  }
}, ({ userAgent, tags, session, xTrace, slug }) => {
  expectTypeOf(userAgent).toEqualTypeOf<string | undefined>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(session).toEqualTypeOf<string | undefined>()
  expectTypeOf(xTrace).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  return { ok: true }
})

app.api.post('/r41/:id/:slug', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    since: Query(z.iso.datetime().optional()),
    tags: Query(z.array(z.string())),
    id: Path(z.number().int(), { ge: 1 }),
    q: Query(z.string().optional(), { maxLength: 50 }),
    slug: Path(z.string(), { minLength: 2 }),
    item: Body(Item),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: ItemOut
}, async ({ theme, since, tags, id, q, slug, item, count }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r42', {
  args: {
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 })
  },
  responseModel: UserOut
}, ({ limit }) => {
  expectTypeOf(limit).toEqualTypeOf<number>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r43', {
  args: {
    q: Query(z.string().optional(), { maxLength: 50 }),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    user: Body(UserIn),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: z.array(ItemOut)
}, ({ q, limit, user, count }) => {
  expectTypeOf(q).toEqualTypeOf<string | undefined>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r44/:id/:kind', {
  args: {
    id: Path(z.number().int(), { ge: 1 }),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    user: Body(UserIn)
  },
  responseModel: ItemOut.nullable(),
  statusCode: status.HTTP_201_CREATED,
  tags: ['many']
}, ({ id, sort, kind, user }) => {
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  return null
})

app.api.get('/r45/:id/:slug', {
  args: {
    xToken: Header(z.string()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    id: Path(z.number().int(), { ge: 1 }),
    slug: Path(z.string(), { minLength: 2 })
  }
}, async ({ xToken, sort, id, slug }) => {
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(id).toEqualTypeOf<number>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  return { ok: true }
})

app.api.post('/r46/:kind', {
  args: {
    tags: Query(z.array(z.string())),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    kind: Path(z.enum(['a', 'b', 'c'])),
    since: Query(z.iso.datetime().optional()),
    note: Body(z.string(), { embed: true })
  },
  responseModel: ItemOut
}, ({ tags, sort, theme, kind, since, note }) => {
  expectTypeOf(tags).toEqualTypeOf<string[]>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(kind).toEqualTypeOf<'a' | 'b' | 'c'>()
  expectTypeOf(since).toEqualTypeOf<string | undefined>()
  expectTypeOf(note).toEqualTypeOf<string>()
  return { id: 1, name: 'item', price: 2.5 }
})

app.api.put('/r47/:slug', {
  args: {
    xToken: Header(z.string()),
    sort: Query(z.enum(['asc', 'desc']), { default: 'asc' }),
    limit: Query(z.number().int().optional(), { default: 100, le: 1000 }),
    ids: Query(z.array(z.number().int()).optional()),
    slug: Path(z.string(), { minLength: 2 }),
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    count: Body(z.number().int(), { default: 1 }),
    item: Body(Item)
  },
  responseModel: UserOut
}, ({ xToken, sort, limit, ids, slug, theme, count, item }) => {
  expectTypeOf(xToken).toEqualTypeOf<string>()
  expectTypeOf(sort).toEqualTypeOf<'asc' | 'desc'>()
  expectTypeOf(limit).toEqualTypeOf<number>()
  expectTypeOf(ids).toEqualTypeOf<number[] | undefined>()
  expectTypeOf(slug).toEqualTypeOf<string>()
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(count).toEqualTypeOf<number>()
  expectTypeOf(item).toEqualTypeOf<z.output<typeof Item>>()
  return { id: 1, name: 'user', created: new Date() }
})

app.api.patch('/r48', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' })
  },
  responseModel: z.array(ItemOut)
}, ({ theme }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  return [{ id: 1, name: 'item', price: 2.5, extra: 'dropped' }]
})

app.api.delete('/r49', {
  args: {
    theme: Cookie(z.enum(['light', 'dark']), { default: 'light' }),
    skip: Query(z.number().int(), { default: 0 }),
    user: Body(UserIn),
    count: Body(z.number().int(), { default: 1 })
  },
  responseModel: ItemOut.nullable(),
  tags: ['many']
}, async ({ theme, skip, user, count }) => {
  expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>()
  expectTypeOf(skip).toEqualTypeOf<number>()
  expectTypeOf(user).toEqualTypeOf<z.output<typeof UserIn>>()
  expectTypeOf(count).toEqualTypeOf<number>()
  return null
})

// The file is really checked: one mistake among the fifty.
app.api.get('/r50/:id', { args: { id: Path(z.number().int()), q: Query(z.string().optional()) } }, ({ id, q }) => {
  // @ts-expect-error q may be undefined
  return id + q.length
})
