import type { FrameLocator, Page } from 'playwright-core';

/** The conversation frame inside <intake-chat> (Playwright's CSS pierces the open shadow root). */
export function chat(page: Page): FrameLocator {
  return page.frameLocator('intake-chat iframe');
}

/** The visible name of the focused control inside the chat frame, or '' when focus is elsewhere. */
/** Whether focus is on a control inside the chat, not left on its page's body between two turns. */
export async function chatHasFocusedControl(page: Page): Promise<boolean> {
  const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === '/frame');
  return (
    (await frame?.evaluate(() => document.activeElement !== null && document.activeElement !== document.body)) ?? false
  );
}

export async function focusedInChat(page: Page): Promise<string> {
  const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === '/frame');
  if (!frame) return '';
  return frame.evaluate(() => {
    if (!document.hasFocus()) return '';
    const focused = document.activeElement;
    // A form control is known by its label.
    const label =
      focused instanceof HTMLInputElement || focused instanceof HTMLSelectElement ? focused.labels?.[0] : null;
    return ((label ?? focused)?.textContent ?? '').trim();
  });
}

export function launcher(page: Page) {
  return page.locator('intake-chat button.launcher');
}

/** Opens the chat with the launcher and waits for the greeting. */
export async function openChat(page: Page): Promise<FrameLocator> {
  await launcher(page).click();
  const frame = chat(page);
  await frame.getByRole('button', { name: /^(Start|Empezar)$/ }).waitFor();
  return frame;
}

import type { Answer } from '../../../packages/engine/test/support/journeys.js';

export { type Answer, journeys } from '../../../packages/engine/test/support/journeys.js';

/** A choice by its label; a multi-choice as a list of labels, then Continue. */
export async function answer(frame: FrameLocator, value: Answer): Promise<void> {
  if (typeof value === 'string') {
    await frame.getByRole('button', { name: value, exact: true }).click();
    return;
  }
  for (const label of value) await frame.getByRole('checkbox', { name: label, exact: true }).check();
  await frame.getByRole('button', { name: /^(Continue|Continuar)$/ }).click();
}

export interface Contact {
  readonly name?: string;
  readonly phone?: string;
  readonly state?: string;
}

/** Fills the callback form as a visitor would: name, phone, state, 18+, and the consent box. */
export async function fillForm(frame: FrameLocator, contact: Contact = {}): Promise<void> {
  await frame.getByLabel(/First name or nickname|Nombre o apodo/).fill(contact.name ?? 'Sam');
  await frame.getByLabel(/^(Phone number|Número de teléfono)$/).fill(contact.phone ?? '(312) 555-0142');
  await frame.getByLabel(/US state you live in|Estado de EE. UU./).selectOption(contact.state ?? 'IL');
  await frame.getByRole('checkbox', { name: /18/ }).check();
  await frame.getByRole('checkbox', { name: /Riverbend Recovery (may call|me llame)/ }).check();
}
