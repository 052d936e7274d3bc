import { migrationTests } from '@onestop/platform/testing';
import { businessRegistration } from '../index';

migrationTests(businessRegistration);
