import { DataSource, DefaultNamingStrategy, NamingStrategyInterface, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** snake_case table columns for the DBAs of every agency; entity properties stay camelCase. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    const name = customName ?? [...embeddedPrefixes, propertyName].join('_');
    return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }
}

type ColumnOptions = { nullable?: boolean; default?: string | number | boolean };

/** Defaults as the drivers print them back: quoted strings, booleans as 0/1. */
function sqlDefault(value: string | number | boolean): string | number {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function base(name: string, type: string, options: ColumnOptions = {}, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return {
    name,
    type,
    isNullable: options.nullable ?? false,
    ...(options.default !== undefined ? { default: sqlDefault(options.default) } : {}),
    ...extra,
  };
}

/** Column builders for migrations that run unchanged on MySQL/MariaDB and SQLite. */
export const column = {
  increments: (name = 'id'): TableColumnOptions => ({
    name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment',
  }),
  key: (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true }),
  string: (name: string, length: number, options?: ColumnOptions) => base(name, 'varchar', options, { length: String(length) }),
  text: (name: string, options?: ColumnOptions) => base(name, 'text', options),
  int: (name: string, options?: ColumnOptions) => base(name, 'integer', options),
  bigint: (name: string, options?: ColumnOptions) => base(name, 'bigint', options),
  decimal: (name: string, precision: number, scale: number, options?: ColumnOptions) =>
    base(name, 'decimal', options, { precision, scale }),
  boolean: (name: string, options?: ColumnOptions) => base(name, 'boolean', options),
  date: (name: string, options?: ColumnOptions) => base(name, 'date', options),
  datetime: (name: string, options?: ColumnOptions) => base(name, 'datetime', options),
};

/** Index names default to IDX_/UQ_{table}_{columns}; entities name theirs the same so the drift check agrees. */
export function table(name: string, columns: TableColumnOptions[], indices: { columns: string[]; unique?: boolean; name?: string }[] = []): Table {
  return new Table({
    name,
    columns,
    indices: indices.map(
      (index) =>
        new TableIndex({
          name: index.name ?? `${index.unique ? 'UQ' : 'IDX'}_${name}_${index.columns.join('_')}`,
          columnNames: index.columns,
          isUnique: index.unique ?? false,
        }),
    ),
  });
}

const largeTextColumns = new WeakMap<object, Set<string>>();

/**
 * Marks a `text` column that must hold more than MySQL's TEXT (64 KB): MEDIUMTEXT (16 MB) on MySQL/MariaDB, TEXT on
 * SQLite (unlimited). Put it beside `@Column({ type: 'text' })`; its migration alters the column on MySQL only.
 */
export function LargeText(): PropertyDecorator {
  return (target, property) => {
    const set = largeTextColumns.get(target.constructor) ?? new Set<string>();
    set.add(String(property));
    largeTextColumns.set(target.constructor, set);
  };
}

/** The MySQL type of @LargeText columns, set on the entity metadata once built (SQLite keeps `text`). */
export function applyLargeTextColumns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') return;
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      if (typeof column.target === 'function' && largeTextColumns.get(column.target)?.has(column.propertyName)) column.type = 'mediumtext';
    }
  }
}
