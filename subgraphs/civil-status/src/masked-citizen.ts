import { Citizen, Sex } from './entities/citizen';

/**
 * What an analyst's masked reference (0011******45) resolves to: no record is looked up; every personal field is a
 * placeholder, so non-null fields stay answerable. Only the sex survives, as the 4th digit (century and sex) is kept
 * visible by the mask.
 */
export function maskedCitizen(maskedNumber: string): Citizen {
  const centuryAndSex = Number(maskedNumber[3]);
  return Object.assign(new Citizen(), {
    personalNumber: maskedNumber, fullName: '***', birthDate: '****-**-**', sex: centuryAndSex % 2 === 0 ? Sex.MALE : Sex.FEMALE,
    ethnicity: '***', nationality: '**', placeOfOrigin: '***', permanentAddress: '***', residenceCommuneCode: '*****',
    fatherPersonalNumber: null, motherPersonalNumber: null, deathDate: null,
  });
}
