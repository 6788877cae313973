import { NextcloudError, toNextcloudDisplayName, type NextcloudClient, type NextcloudUser } from "@voiceassist/nextcloud";

import type { ClaimedJob } from "./provisioning-queue";

export type ProvisioningTarget = Pick<
  NextcloudClient,
  "getUser" | "createUser" | "editUser" | "enableUser" | "disableUser" | "checkCredentials"
>;

/** What the Nextcloud account should look like; the full name stays in VoiceAssist. */
export function desiredAccount(job: Pick<ClaimedJob, "email" | "fullName">) {
  return { email: job.email, displayName: toNextcloudDisplayName(job.fullName?.trim() || job.email) };
}

// Nextcloud stores emails lower-cased; comparing exactly would edit on every run.
const sameEmail = (a: string | null, b: string) => (a ?? "").toLowerCase() === b.toLowerCase();

/**
 * Brings one Nextcloud account in line with VoiceAssist. Reads first, so an existing account is
 * never sent a create (Nextcloud logs each refused one at error level). A new account is created
 * without a password and with the email, so Nextcloud mails its own set-password link.
 */
export async function syncAccount(nextcloud: ProvisioningTarget, job: ClaimedJob): Promise<void> {
  const want = desiredAccount(job);
  let account = await nextcloud.getUser(job.userId);
  if (!account) {
    if (!job.wantEnabled) return; // nothing to disable
    try {
      await nextcloud.createUser({ userId: job.userId, email: want.email, displayName: want.displayName });
    } catch (error) {
      // A create racing ours, or one whose answer was lost: the read-back below decides.
      if (!(error instanceof NextcloudError && error.kind === "user_exists")) throw error;
    }
    // A create can fail after making the account (996): what it kept is checked, not assumed.
    account = await readBack(nextcloud, job.userId);
  }
  if (await repairProfile(nextcloud, job.userId, account, want)) {
    const after = await readBack(nextcloud, job.userId);
    if (!sameEmail(after.email, want.email) || after.displayName !== want.displayName) {
      throw new NextcloudError({ kind: "server_error", message: "Nextcloud did not keep the email or display name" });
    }
    account = after;
  }
  if (job.wantEnabled && !account.enabled) await nextcloud.enableUser(job.userId);
  if (!job.wantEnabled && account.enabled) await nextcloud.disableUser(job.userId);
}

async function readBack(nextcloud: ProvisioningTarget, userId: string): Promise<NextcloudUser> {
  const account = await nextcloud.getUser(userId);
  if (!account) throw new NextcloudError({ kind: "server_error", message: "The account just created is missing" });
  return account;
}

/** PUTs only the fields that differ (each edit counts against Nextcloud's 50 per 10 minutes). */
async function repairProfile(
  nextcloud: ProvisioningTarget,
  userId: string,
  account: NextcloudUser,
  want: { email: string; displayName: string },
): Promise<boolean> {
  let edited = false;
  if (!sameEmail(account.email, want.email)) {
    await nextcloud.editUser(userId, "email", want.email);
    edited = true;
  }
  if (account.displayName !== want.displayName) {
    await nextcloud.editUser(userId, "displayname", want.displayName);
    edited = true;
  }
  return edited;
}
