import type { Page } from "playwright-core";

/** Steps an operator takes in the admin panel. */
export async function adminSignIn(page: Page, email: string, password: string) {
  await page.getByRole("heading", { name: "Admin sign-in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Searches the users table and opens the one matching `email`. */
export async function openUser(page: Page, email: string) {
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByLabel("Search email or name").fill(email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("status").filter({ hasText: "1 user found" }).waitFor();
  await page.getByRole("link", { name: email }).click();
  await page.getByRole("heading", { name: `User ${email}` }).waitFor();
}

export async function saveUser(page: Page) {
  await page.getByRole("button", { name: "Save changes" }).click();
}
