import { pseudonymSex } from '@onestop/platform';
import { Citizen, Sex } from './entities/citizen';

/**
 * What an analyst's pseudonym (*F-kqbm…) resolves to: no record is looked up; every personal field is a placeholder,
 * so non-null fields stay answerable. Only the sex survives, as the pseudonym of a personal number keeps it.
 */
export function maskedCitizen(maskedNumber: string): Citizen {
  return Object.assign(new Citizen(), {
    personalNumber: maskedNumber, fullName: '***', birthDate: '****-**-**', sex: pseudonymSex(maskedNumber) === 'FEMALE' ? Sex.FEMALE : Sex.MALE,
    ethnicity: '***', nationality: '**', placeOfOrigin: '***', permanentAddress: '***', residenceCommuneCode: '*****',
    fatherPersonalNumber: null, motherPersonalNumber: null, deathDate: null,
  });
}
