import { migrationTests } from '@onestop/platform/testing';
import { singleWindow } from '../index';

migrationTests(singleWindow);
