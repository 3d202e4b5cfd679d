/**
 * Where each workspace's documents live. On MongoDB every concept has one collection and ordinary
 * indexes keep a workspace's queries cheap ("shared"). FerretDB's SQLite backend uses no index and
 * pushes no filter but a lone `_id` down, so every query reads its whole collection
 * (README, "The database"): there a workspace gets collections of its own, and a program its own updates
 * ("partitioned"), so that what one workspace pays never grows with the others' data.
 */
import type { Connection, Model, Schema } from 'mongoose';

export type DatabaseLayout = 'shared' | 'partitioned';
export type LayoutSetting = DatabaseLayout | 'auto';

/** One concept's documents: its model name, schema and (base) collection name. */
export interface Family<T> {
  model: string;
  schema: Schema<T>;
  collection: string;
  /** The partition a stored document belongs to (its workspace, by default). */
  keyOf(doc: Record<string, unknown>): string[];
}

const families: Array<Family<unknown>> = [];

/** Every family declared so far (the data modules declare theirs when loaded). */
export const declaredFamilies = (): ReadonlyArray<Family<unknown>> => families;

/** The collection a schema names, its indexes left to `Partitions` (built before a first write). */
function collectionOf<T>(model: string, schema: Schema<T>): string {
  const collection = schema.get('collection');
  if (!collection) throw new Error(`the schema of ${model} names no collection`);
  schema.set('autoIndex', false);
  schema.set('autoCreate', false);
  return collection;
}

/** A family of one collection whatever the layout (data no single workspace owns); never moved. */
export function globalFamily<T>(model: string, schema: Schema<T>): Family<T> {
  return { model, schema, collection: collectionOf(model, schema), keyOf: () => [] };
}

/** A family of documents, one collection per partition key in the partitioned layout. */
export function family<T>(
  model: string,
  schema: Schema<T>,
  keyOf: (doc: Record<string, unknown>) => string[] = (doc) => [String(doc.teamId)],
): Family<T> {
  const declared: Family<T> = { model, schema, collection: collectionOf(model, schema), keyOf };
  families.push(declared as unknown as Family<unknown>);
  return declared;
}

/** A layout setting read from text (an environment variable): `auto` unless it names a layout. */
export function layoutSetting(value: string | undefined): LayoutSetting {
  return value === 'shared' || value === 'partitioned' ? value : 'auto';
}

export interface Partitions {
  /** The layout, once the server has been asked what it is. */
  layout(): Promise<DatabaseLayout>;
  /**
   * The model for reading one partition of a family: `key` is the workspace, or the workspace and
   * the program; ignored in the shared layout. A partition is not created by reading it (FerretDB
   * uses no index to read, and every new table makes SQLite re-read its whole schema).
   */
  of<T>(family: Family<T>, ...key: string[]): Promise<Model<T>>;
  /**
   * The model for writing to one partition: its collection and indexes are built before it is
   * handed out, so a unique key holds from the first insert.
   */
  writable<T>(family: Family<T>, ...key: string[]): Promise<Model<T>>;
  /** The family's one collection whatever the layout (data that belongs to no single workspace). */
  global<T>(family: Family<T>): Promise<Model<T>>;
  /** One read run on every partition of a family, the results together (work across workspaces). */
  across<T, R>(family: Family<T>, read: (model: Model<T>) => Promise<R[]>): Promise<R[]>;
}

/** The workspaces with at least one document matching `filter`, across every partition. */
export async function teamsWhere<T>(
  db: Partitions,
  fam: Family<T>,
  filter: Record<string, unknown>,
): Promise<string[]> {
  const teams = await db.across(fam, async (model) =>
    (await model.distinct('teamId', filter).exec()).map(String),
  );
  return [...new Set(teams)].sort();
}

/** Collection-name-safe: team ids and ObjectIds pass as they are; anything else is escaped. */
const safe = (part: string) =>
  part.replace(/[^A-Za-z0-9_-]/g, (c) => `~${c.codePointAt(0)!.toString(16)}~`) || '~';

/** The collection holding one partition of a family. */
export function partitionCollection(layout: DatabaseLayout, base: string, key: readonly string[]): string {
  return layout === 'shared' || key.length === 0 ? base : [base, ...key.map(safe)].join('.');
}

/**
 * Decides the layout for a connection: `auto` partitions on FerretDB (which says so in buildInfo)
 * and shares on anything else.
 */
export async function resolveLayout(connection: Connection, setting: LayoutSetting): Promise<DatabaseLayout> {
  if (setting !== 'auto') return setting;
  const db = connection.db;
  if (!db) throw new Error('the database connection is not open');
  const info = (await db.command({ buildInfo: 1 })) as { ferretdbVersion?: string; ferretdb?: object };
  return info.ferretdbVersion || info.ferretdb ? 'partitioned' : 'shared';
}

export function partitions(connection: Connection, setting: LayoutSetting = 'auto'): Partitions {
  let layout: Promise<DatabaseLayout> | undefined;
  const resolved = (): Promise<DatabaseLayout> => {
    layout ??= resolveLayout(connection, setting).catch((error: unknown) => {
      layout = undefined; // the database may be back next time
      throw error;
    });
    return layout;
  };
  const ready = new Map<string, Promise<Model<never>>>();

  const compiled = <T>(fam: Family<T>, collection: string): Model<T> => {
    const name = collection === fam.collection ? fam.model : `${fam.model}@${collection}`;
    return (
      (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, fam.schema, collection)
    );
  };

  const model = <T>(fam: Family<T>, collection: string): Promise<Model<T>> => {
    let found = ready.get(collection);
    if (!found) {
      const built = compiled(fam, collection);
      found = built.createIndexes().then(
        () => built as unknown as Model<never>,
        (error: unknown) => {
          ready.delete(collection);
          throw error;
        },
      );
      ready.set(collection, found);
    }
    return found as unknown as Promise<Model<T>>;
  };

  const every = async <T>(fam: Family<T>): Promise<Array<Model<T>>> => {
    if ((await resolved()) === 'shared') return [await model(fam, fam.collection)];
    const db = connection.db;
    if (!db) throw new Error('the database connection is not open');
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => name.startsWith(`${fam.collection}.`))
      .sort();
    return names.map((name) => compiled(fam, name));
  };

  return {
    layout: resolved,
    async of(fam, ...key) {
      const layout = await resolved();
      const collection = partitionCollection(layout, fam.collection, key);
      // Shared collections serve reads through their indexes (MongoDB): built before the first read.
      return layout === 'shared' || ready.has(collection)
        ? model(fam, collection)
        : compiled(fam, collection);
    },
    async writable(fam, ...key) {
      return model(fam, partitionCollection(await resolved(), fam.collection, key));
    },
    global: (fam) => model(fam, fam.collection),
    async across(fam, read) {
      return (await Promise.all((await every(fam)).map(read))).flat();
    },
  };
}
