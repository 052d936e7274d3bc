import type { SubgraphDefinition } from '@onestop/platform';
import { businessRegistration } from '@onestop/business-registration';
import { civilStatus } from '@onestop/civil-status';
import { land } from '@onestop/land';
import { singleWindow } from '@onestop/single-window';
import { tax } from '@onestop/tax';

/** The five subgraph definitions, for tools that open their databases in-process (seed, migrations, dead letters). */
export const DEFINITION_LIST: SubgraphDefinition[] = [singleWindow, civilStatus, businessRegistration, land, tax];

export const DEFINITIONS: Record<string, SubgraphDefinition> = Object.fromEntries(DEFINITION_LIST.map((d) => [d.name, d]));
