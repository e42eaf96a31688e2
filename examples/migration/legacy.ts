/**
 * The bookshop as it was written before fastify-fastapi: plain Fastify routes with JSON schemas,
 * a hook, a decorator and the app's own error handler. `before.ts` and `index.ts` register this
 * same plugin, so the old routes run the same code with and without fastify-fastapi.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

export interface Book { id: number, title: string, author: string }

/** The shop's data, shared by every handler through `app.books` (the decorator). */
export class BookStore {
  readonly #books = new Map<number, Book>([
    [1, { id: 1, title: 'Dune', author: 'Frank Herbert' }],
    [2, { id: 2, title: 'Solaris', author: 'Stanisław Lem' }]
  ])

  list (limit: number): Book[] { return [...this.#books.values()].slice(0, limit) }
  get (id: number): Book | undefined { return this.#books.get(id) }
  add (title: string, author: string): Book {
    const book = { id: this.#books.size + 1, title, author }
    this.#books.set(book.id, book)
    return book
  }
}

/** A domain error the app's own error handler turns into its own shape. */
export class BookNotFound extends Error {
  constructor (readonly bookId: number) {
    super(`No book with id ${bookId}`)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    books: BookStore
  }
}

const book = {
  type: 'object',
  properties: { id: { type: 'integer' }, title: { type: 'string' }, author: { type: 'string' } },
  required: ['id', 'title', 'author']
} as const

// snippet: migration-legacy
/**
 * The existing app. It is wrapped in fastify-plugin so that its hook, decorator and error
 * handler belong to the root instance, as they did when they were written in the main file.
 */
export const legacy = fp(async function legacy (app: FastifyInstance) {
  app.decorate('books', new BookStore())

  // Every answer says which version of the shop sent it.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-shop-version', '1')
  })

  // The app's own error shape for its domain errors; anything else (Fastify's 400s included)
  // goes on to Fastify's default handler, as before.
  app.setErrorHandler(function shopErrors (error, request, reply) {
    if (error instanceof BookNotFound) {
      return reply.code(404).send({ error: 'book_not_found', message: error.message })
    }
    throw error
  })

  app.get<{ Querystring: { limit: number } }>('/books', {
    schema: {
      operationId: 'listBooks',
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, default: 10 } } },
      response: { 200: { type: 'array', items: book } }
    }
  }, async function listBooks (request) {
    return this.books.list(request.query.limit)
  })

  app.get<{ Params: { id: number } }>('/books/:id', {
    schema: {
      operationId: 'getBook',
      params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      response: { 200: book }
    }
  }, async function getBook (request) {
    const found = this.books.get(request.params.id)
    if (found === undefined) throw new BookNotFound(request.params.id)
    return found
  })

  app.post<{ Body: { title: string, author: string } }>('/books', {
    schema: {
      operationId: 'addBook',
      body: {
        type: 'object',
        properties: { title: { type: 'string', minLength: 1 }, author: { type: 'string', minLength: 1 } },
        required: ['title', 'author']
      },
      response: { 201: book }
    }
  }, async function addBook (request, reply) {
    return reply.code(201).send(this.books.add(request.body.title, request.body.author))
  })
}, { name: 'bookshop-legacy' })
// end snippet
