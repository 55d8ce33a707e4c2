// RFC 3161 timestamps whose time reads like the TSA wrote it. @sigstore/core parses genTime only
// with no fraction or exactly three fraction digits; Sigstore's timestamp authority drops trailing
// zeros (".12Z", ".1Z"), so about one token in ten would fail as "invalid time". This subclass
// reads any number of fraction digits and changes nothing else: the signature, message imprint
// and certificate checks stay @sigstore/core's.

import { RFC3161Timestamp } from '@sigstore/core';

// YYYYMMDDHHMMSS[.f+]Z — DER's GeneralizedTime (X.690 11.7) is always UTC with seconds.
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/;

export class LenientTimestamp extends RFC3161Timestamp {
  override get signingTime(): Date {
    const genTime = this.tstInfo.root.subs[4];
    if (!genTime?.tag.isGeneralizedTime()) throw new Error('timestamp has no genTime');
    return parseGeneralizedTime(genTime.value.toString('ascii'));
  }
}

/** The instant of a GeneralizedTime string, to the millisecond (further digits are cut, not rounded). */
export function parseGeneralizedTime(text: string): Date {
  const m = GENERALIZED_TIME.exec(text);
  if (!m) throw new Error(`invalid GeneralizedTime "${text}"`);
  const [, year, month, day, hour, minute, second, fraction] = m;
  const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${String(millis).padStart(3, '0')}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`invalid GeneralizedTime "${text}"`);
  return date;
}
