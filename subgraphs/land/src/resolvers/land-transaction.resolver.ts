import { Authorized, Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RequestContext, required, validateDossierCode, PersonalData } from '@onestop/platform';
import { guardTransaction } from '../access';
import { LandParcel } from '../entities/land-parcel';
import { LandTransaction } from '../entities/land-transaction';
import { CitizenRef, DossierRef } from '../entities/references';
import { parcelById, transactionsBy } from '../loaders';

@Resolver(() => LandTransaction)
export class LandTransactionResolver {
  @Authorized('citizen', 'staff:LAND', 'staff:TAX', 'staff:SERVICE_CENTER')
  @Query(() => LandTransaction, { nullable: true, description: 'The land registration handled for a dossier' })
  async landTransaction(@Arg('dossierCode') dossierCode: string, @Ctx() ctx: RequestContext): Promise<LandTransaction | null> {
    const found = await transactionsBy(ctx, 'dossierCode').load(required(validateDossierCode(dossierCode), 'dossierCode'));
    return guardTransaction(ctx, found[0] ?? null);
  }

  @FieldResolver(() => LandParcel)
  async parcel(@Root() transaction: LandTransaction, @Ctx() ctx: RequestContext): Promise<LandParcel> {
    const parcel = await parcelById(ctx).load(transaction.parcelId);
    if (!parcel) throw new Error(`land_transaction ${transaction.id} names missing parcel ${transaction.parcelId}`);
    return parcel;
  }

  @FieldResolver(() => CitizenRef, { nullable: true, description: 'Bên chuyển nhượng / tặng cho' })
  @PersonalData<LandTransaction>({ subject: (t) => t.transferorPersonalNumber })
  transferor(@Root() transaction: LandTransaction): CitizenRef | null {
    return transaction.transferorPersonalNumber ? { personalNumber: transaction.transferorPersonalNumber } : null;
  }

  @FieldResolver(() => CitizenRef, { nullable: true, description: 'Bên nhận' })
  @PersonalData<LandTransaction>({ subject: (t) => t.transfereePersonalNumber })
  transferee(@Root() transaction: LandTransaction): CitizenRef | null {
    return transaction.transfereePersonalNumber ? { personalNumber: transaction.transfereePersonalNumber } : null;
  }
}

@Resolver(() => DossierRef)
export class DossierLandTransactionResolver {
  // Reached through single window's Dossier, or through _entities sent straight here: the same guard as the root field.
  @FieldResolver(() => LandTransaction, { nullable: true, description: 'The land office\'s view of this dossier' })
  async landTransaction(@Root() dossier: DossierRef, @Ctx() ctx: RequestContext): Promise<LandTransaction | null> {
    const found = await transactionsBy(ctx, 'dossierCode').load(dossier.code);
    return guardTransaction(ctx, found[0] ?? null);
  }
}
