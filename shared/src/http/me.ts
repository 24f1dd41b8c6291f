import { z } from 'zod';
import { UserInfo } from './auth.ts';
import { CreditSummary } from './credits.ts';
import { LicenseInfo } from './licenses.ts';

export const MeResponse = z.object({ user: UserInfo, licenses: z.array(LicenseInfo), credits: CreditSummary });
export type MeResponse = z.infer<typeof MeResponse>;
