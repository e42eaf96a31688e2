/**
 * @module dependency-graph — analyses a route's dependency graph once, at registration:
 * applies overrides, finds cycles and clashing parameters, resolves every argument, and lays
 * the graph out as a flat program that lib/dependency-runner.ts steps through per request.
 *
 * The program keeps FastAPI's order (`solve_dependencies`): depth first, each dependency's
 * sub-dependencies before its own parameters, and a dependency runs only when everything
 * below it validated; the route's own parameters are checked last.
 */
import { z } from 'zod'
import * as errors from './errors.js'
import { isParam, type Param } from './params.js'
import { resolveArg, wireName } from './arg-resolver.js'
import { compileArgsReader, type ArgSpec, type ArgsReader } from './validation.js'
import {
  isDependency, isDependsMarker, isSecurityScopesMarker,
  type Dependency, type DependsMarker, type SecuritySchemeInfo
} from './dependencies.js'
import { acceptsUndefined } from './zod-internals.js'
import { isBackgroundTasksMarker } from './background.js'

/** Skip the subtree when this dependency already ran (or failed) in this request. */
export const OP_ENTER = 0
/** Read and check one node's own parameters. */
export const OP_VALIDATE = 1
/** Run one dependency, unless something below it failed to validate. */
export const OP_CALL = 2

/** One use of a dependency in the graph (the root is the route itself, slot 0). */
export interface Occurrence {
  dep: Dependency | null
  /** Index of the object that collects this node's arguments. */
  slot: number
  /** Slot of the node whose argument this value becomes. */
  parent: number
  /** The argument name in the parent, or null for `dependencies: [...]` (run for effect). */
  name: string | null
  /** Index in the per-request cache, or -1 when the dependency is used only once here. */
  cacheSlot: number
  /** Scopes required along the path from the route, for `SecurityScopes()` arguments. */
  scopes: string[]
  /** Argument names that receive the scopes. */
  scopesArgs: string[]
  /** Argument names that receive the request's background task queue. */
  tasksArgs: string[]
  /** First step of this node's subtree: a failure from here on means it must not run. */
  firstStep: number
  reader: ArgsReader | null
}

/** One instruction of the program. */
export interface Step {
  op: typeof OP_ENTER | typeof OP_VALIDATE | typeof OP_CALL
  occ: Occurrence
  /** For OP_ENTER: index of the node's OP_CALL, to jump past its subtree. */
  skipTo: number
}

/** The whole graph as a flat list of steps. */
export interface Program {
  steps: Step[]
  slotCount: number
  cacheCount: number
  root: Occurrence
}

/** A security scheme some dependency of the route declares, with the scopes required of it. */
export interface SecurityRequirement {
  scheme: SecuritySchemeInfo
  scopes: string[]
}

/** What the route compiler needs from the graph. */
export interface CompiledGraph {
  /** Every argument of the graph, once per location and wire name: the route's own first. */
  specs: ArgSpec[]
  /** The route's own arguments. */
  rootSpecs: ArgSpec[]
  /** Null when the route uses no dependency: the plain validate-then-handle path is used. */
  program: Program | null
  security: SecurityRequirement[]
  /** Every dependency the graph reaches, as declared and as overridden. */
  uses: Set<Dependency>
  /** True when some argument is a form field (the urlencoded parser is then needed). */
  readsForm: boolean
}

/** Where and what to compile. */
export interface GraphInput {
  route: string
  methods: string[]
  args: unknown
  /** App-, plugin- and route-level `dependencies`, in that order. */
  dependencies: readonly unknown[]
  overrides: ReadonlyMap<Dependency, Dependency>
}

interface Node {
  dep: Dependency | null
  marker: DependsMarker | null
  name: string | null
  scopes: string[]
  params: Array<[string, Param]>
  scopesArgs: string[]
  tasksArgs: string[]
  children: Node[]
  key: string
}

/** Compiles the graph of one route; throws FFA_ERR_* for every developer mistake in it. */
export function compileGraph (input: GraphInput): CompiledGraph {
  const { route } = input
  const uses = new Set<Dependency>()
  const ids = new Map<Dependency, number>()

  function build (dep: Dependency | null, marker: DependsMarker | null, name: string | null, args: unknown,
    level: readonly unknown[], parentScopes: string[], stack: Dependency[]): Node {
    const where = dep === null ? 'the route' : `dependency "${dep.name}"`
    if (args === null || typeof args !== 'object') {
      throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, `\`args\` of ${where} must be an object of parameter declarations.`)
    }
    const scopes = [...parentScopes]
    for (const scope of marker?.scopes ?? []) if (!scopes.includes(scope)) scopes.push(scope)
    const node: Node = { dep, marker, name, scopes, params: [], scopesArgs: [], tasksArgs: [], children: [], key: '' }
    const visit = (value: unknown, argName: string | null, label: string): void => {
      const child = checkMarker(route, label, value)
      const used = input.overrides.get(child.dependency) ?? child.dependency
      uses.add(child.dependency)
      uses.add(used)
      if (stack.includes(used)) {
        const chain = [...stack, used].map(d => d.name).join(' → ')
        throw new errors.FFA_ERR_DEPENDS_CYCLE(route, label, chain)
      }
      node.children.push(build(used, child, argName, used.args, [], scopes, [...stack, used]))
    }
    level.forEach((value, i) => visit(value, null, `dependencies[${i}]`))
    for (const [argName, value] of Object.entries(args)) {
      const label = dep === null ? argName : `${dep.name}.${argName}`
      if (isParam(value)) node.params.push([argName, value])
      else if (isDependsMarker(value)) visit(value, argName, label)
      else if (isSecurityScopesMarker(value)) node.scopesArgs.push(argName)
      else if (isBackgroundTasksMarker(value)) node.tasksArgs.push(argName)
      else throw new errors.FFA_ERR_PARAM_NOT_A_MARKER(route, label, argName)
    }
    if (dep !== null) {
      let id = ids.get(dep)
      if (id === undefined) ids.set(dep, id = ids.size)
      // FastAPI's cache key: the dependency, and the scopes when something below reads them.
      node.key = usesScopes(node) ? `${id}|${[...new Set(scopes)].sort().join(' ')}` : String(id)
    }
    return node
  }

  if (input.args !== undefined && (input.args === null || typeof input.args !== 'object')) {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, '`args` must be an object of parameter declarations.')
  }
  const root = build(null, null, null, input.args ?? {}, input.dependencies, [], [])
  const resolved = resolveParams(input, root)
  const specs = flatSpecs(root, resolved)
  const security: SecurityRequirement[] = []
  walk(root, node => {
    const scheme = node.dep?.security
    if (scheme === undefined) return
    const scopes = node.scopes
    const same = security.find(s => s.scheme.name === scheme.name && s.scopes.join(' ') === scopes.join(' '))
    if (same === undefined) security.push({ scheme, scopes })
  })
  const rootSpecs = resolved.get(null) ?? []
  const plain = root.children.length === 0 && root.scopesArgs.length === 0 && root.tasksArgs.length === 0
  const program = plain ? null : layOut(root, resolved)
  return { specs, rootSpecs, program, security, uses, readsForm: specs.some(s => s.in === 'form') }
}

function checkMarker (route: string, label: string, value: unknown): DependsMarker {
  if (!isDependsMarker(value)) {
    throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, 'each entry of `dependencies` must be Depends(dep) or Security(dep).')
  }
  if (!isDependency(value.dependency)) {
    throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, 'Depends() takes a dependency made by dependency(args, fn), a security helper, or a function.')
  }
  const options = (value as { options?: unknown }).options
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, 'the options of Depends()/Security() must be an object.')
  }
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'useCache' && key !== 'scopes') throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, `unknown option "${key}".`)
  }
  if (typeof value.useCache !== 'boolean') throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, '`useCache` must be true or false.')
  if (!Array.isArray(value.scopes) || value.scopes.some(s => typeof s !== 'string')) {
    throw new errors.FFA_ERR_DEPENDS_INVALID(route, label, '`scopes` must be an array of strings.')
  }
  return value
}

function usesScopes (node: Node): boolean {
  return node.scopesArgs.length > 0 || (node.marker?.scopes.length ?? 0) > 0 || node.children.some(usesScopes)
}

function walk (node: Node, fn: (node: Node) => void): void {
  fn(node)
  for (const child of node.children) walk(child, fn)
}

/** Resolves the parameters of every distinct node; `null` keys the route itself. */
function resolveParams (input: GraphInput, root: Node): Map<Dependency | null, ArgSpec[]> {
  const { route, methods } = input
  const nodes = new Map<Dependency | null, Node>()
  walk(root, node => { if (!nodes.has(node.dep)) nodes.set(node.dep, node) })
  // As FastAPI's _should_embed_body_fields: several distinct body names → each read from body[name].
  const bodyNames = new Set<string>()
  let forms = false
  for (const node of nodes.values()) {
    for (const [name, marker] of node.params) {
      if (marker.in === 'body') bodyNames.add(wireName(name, marker))
      if (marker.in === 'form') forms = true
    }
  }
  if (forms && bodyNames.size > 0) {
    throw new errors.FFA_ERR_ROUTE_INVALID_OPTION(route, 'form fields and Body() arguments cannot be mixed: a request has one body, either a form or JSON.')
  }
  const embedBodies = bodyNames.size > 1
  const owners = new Map<string, { label: string, spec: ArgSpec, signature?: string }>()
  const resolved = new Map<Dependency | null, ArgSpec[]>()
  for (const [dep, node] of nodes) {
    const seen = new Map<string, string>()
    const specs = node.params.map(([name, marker]) => {
      const label = dep === null ? name : `${dep.name}.${name}`
      const spec = resolveArg({ route, methods, label, embedBodies }, name, marker)
      const key = `${spec.in}\u0000${spec.wire}`
      const other = seen.get(key)
      if (other !== undefined && !(spec.in === 'body' && spec.wholeBody)) {
        throw new errors.FFA_ERR_PARAM_DUPLICATE_NAME(route, other, label, spec.in, spec.wire)
      }
      seen.set(key, label)
      const owner = owners.get(key)
      if (owner === undefined) owners.set(key, { label, spec })
      else if (!sameParam(owner, spec)) throw new errors.FFA_ERR_DEPENDS_PARAM_CLASH(route, owner.label, label, spec.in, spec.wire)
      return spec
    })
    resolved.set(dep, specs)
  }
  return resolved
}

/**
 * Two nodes may read the same value (FastAPI documents it once) only when they read it
 * the same way; otherwise the document and one of them would be wrong.
 */
function sameParam (owner: { spec: ArgSpec, signature?: string }, spec: ArgSpec): boolean {
  if (owner.spec.schema === spec.schema) return true
  owner.signature ??= signature(owner.spec.schema)
  const theirs = signature(spec.schema)
  return owner.signature !== undefined && owner.signature === theirs
}

function signature (schema: z.ZodType): string | undefined {
  try {
    return `${String(acceptsUndefined(schema))}:${JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }))}`
  } catch {
    // A schema JSON Schema cannot express (a refinement): only the same object is the same.
    return undefined
  }
}

function flatSpecs (root: Node, resolved: Map<Dependency | null, ArgSpec[]>): ArgSpec[] {
  const out: ArgSpec[] = []
  const seen = new Set<string>()
  const done = new Set<Dependency | null>()
  walk(root, node => {
    if (done.has(node.dep)) return
    done.add(node.dep)
    for (const spec of resolved.get(node.dep) ?? []) {
      const key = `${spec.in}\u0000${spec.wire}`
      if (!seen.has(key)) { seen.add(key); out.push(spec) }
    }
  })
  return out
}

function layOut (root: Node, resolved: Map<Dependency | null, ArgSpec[]>): Program {
  const counts = new Map<string, number>()
  walk(root, node => { if (node.dep !== null) counts.set(node.key, (counts.get(node.key) ?? 0) + 1) })
  const cacheSlots = new Map<string, number>()
  for (const [key, count] of counts) if (count > 1) cacheSlots.set(key, cacheSlots.size)
  const readers = new Map<Dependency | null, ArgsReader | null>()
  const readerOf = (dep: Dependency | null): ArgsReader | null => {
    if (!readers.has(dep)) {
      const specs = resolved.get(dep) ?? []
      readers.set(dep, specs.length === 0 ? null : compileArgsReader(specs))
    }
    return readers.get(dep) ?? null
  }
  const steps: Step[] = []
  let slots = 0
  const emit = (node: Node, parent: number): Occurrence => {
    const occ: Occurrence = {
      dep: node.dep,
      slot: node.dep === null ? 0 : ++slots,
      parent,
      name: node.name,
      cacheSlot: node.dep === null ? -1 : cacheSlots.get(node.key) ?? -1,
      scopes: node.scopes,
      scopesArgs: node.scopesArgs,
      tasksArgs: node.tasksArgs,
      firstStep: steps.length,
      reader: readerOf(node.dep)
    }
    const enter: Step | undefined = occ.cacheSlot >= 0 && node.marker?.useCache === true ? { op: OP_ENTER, occ, skipTo: -1 } : undefined
    if (enter !== undefined) steps.push(enter)
    for (const child of node.children) emit(child, occ.slot)
    if (occ.reader !== null) steps.push({ op: OP_VALIDATE, occ, skipTo: -1 })
    if (node.dep !== null) {
      if (enter !== undefined) enter.skipTo = steps.length
      steps.push({ op: OP_CALL, occ, skipTo: -1 })
    }
    return occ
  }
  const rootOcc = emit(root, -1)
  return { steps, slotCount: slots + 1, cacheCount: cacheSlots.size, root: rootOcc }
}
