import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, bob, demoUrl, signIn } from './demo.js';

const browser = useBrowser();

/** The API exchanges the page lists, newest first: "METHOD path status". */
async function apiLog(page: Page): Promise<string[]> {
  return page
    .getByTestId('api-log')
    .locator('li')
    .evaluateAll((items) =>
      items.map((item) => [...item.children].map((part) => part.textContent?.trim()).join(' ')),
    );
}

async function addAppointment(page: Page, title: string) {
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Starts at').fill('2030-05-17T09:30');
  await page.getByRole('button', { name: 'Add appointment' }).click();
}

describe('appointments', () => {
  it('lists (200), creates (201) and shows the 403 of the admin-only delete', async () => {
    const page = await browser.newPage();
    await signIn(page, alice);
    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await expect.poll(() => apiLog(page)).toEqual(['GET /api/appointments 200']);

    await addAppointment(page, 'Dentist check-up');
    await expect.poll(() => apiLog(page).then((l) => l[0])).toBe('POST /api/appointments 201');
    const list = page.getByRole('list', { name: 'Your appointments' });
    await expect.poll(() => list.textContent()).toContain('Dentist check-up');

    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => apiLog(page).then((l) => l[0])).toBe('GET /api/appointments 200');
    await expect.poll(() => list.textContent()).toContain('Dentist check-up');

    await page.getByRole('button', { name: 'Delete Dentist check-up (admin)' }).click();
    const alert = page.getByTestId('message');
    await expect.poll(() => alert.textContent()).toContain('Forbidden (403)');
    expect((await apiLog(page))[0]).toMatch(/^DELETE \/api\/appointments\/\S+ 403 insufficient_scope$/);
    expect(await list.textContent()).toContain('Dentist check-up');
  });

  it('refuses creation to the read-only user with a 403', async () => {
    const page = await browser.newPage();
    await signIn(page, bob);
    await page.goto(demoUrl('/appointments'));
    await expect.poll(() => apiLog(page)).toEqual(['GET /api/appointments 200']);

    await addAppointment(page, 'Not allowed');
    await expect.poll(() => page.getByTestId('message').textContent()).toContain('Forbidden (403)');
    expect((await apiLog(page))[0]).toBe('POST /api/appointments 403 insufficient_scope');
    expect(await page.getByRole('list', { name: 'Your appointments' }).textContent()).not.toContain(
      'Not allowed',
    );
  });
});
