import type { AccountProfile, RiskTier } from '../../schemas/types';
import type { ByteReader, ByteWriter } from '../state/bytes';
import { corrupt } from '../state/bytes';

const RISK_TIERS: readonly RiskTier[] = ['LOW', 'MEDIUM', 'HIGH'];

/**
 * Field-by-field encoding of one profile version. Written by hand rather than with the Avro
 * schema because cep/ cannot read schema files; building the object literal against the
 * generated `AccountProfile` type makes a schema change fail to compile here until the codec
 * (and its version in ProfileJoin) is updated.
 */
export function encodeProfile(profile: AccountProfile, out: ByteWriter): void {
  out
    .string(profile.accountId)
    .varint(profile.updatedAt)
    .string(profile.homeCountry)
    .float64(profile.homeLat)
    .float64(profile.homeLon)
    .uint8(RISK_TIERS.indexOf(profile.riskTier))
    .varint(profile.creditLimitMinor)
    .string(profile.currency)
    .string(profile.emailFingerprint)
    .string(profile.phoneFingerprint)
    .varint(profile.openedAt);
}

export function decodeProfile(input: ByteReader): AccountProfile {
  const accountId = input.string();
  const updatedAt = input.varint();
  const homeCountry = input.string();
  const homeLat = input.float64();
  const homeLon = input.float64();
  const riskTier = RISK_TIERS[input.uint8()];
  if (riskTier === undefined) throw corrupt('unknown risk tier in profile state');
  return {
    accountId,
    updatedAt,
    homeCountry,
    homeLat,
    homeLon,
    riskTier,
    creditLimitMinor: input.varint(),
    currency: input.string(),
    emailFingerprint: input.string(),
    phoneFingerprint: input.string(),
    openedAt: input.varint(),
  };
}
