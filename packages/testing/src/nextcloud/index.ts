export { startFakeNextcloud } from "./fake-nextcloud";
export type { FakeMode, FakeNextcloud, FakeNextcloudOptions, FakeRequest } from "./fake-nextcloud";
export type { FakeMail, FakeUser, SeedUser } from "./fake-users";
