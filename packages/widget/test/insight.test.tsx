import { defaultFlow } from '@intake-chat/engine';
import { cleanup, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { journeys } from '../../engine/test/support/journeys.js';
import { countConversation } from '../src/frame/insight.js';
import { answer, renderFrame } from './support/renderFrame.js';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const steps = defaultFlow.steps.map((step) => step.id);

/** The frame with its counting on, and the beacons it sent, parsed. */
function countedFrame(options: Parameters<typeof renderFrame>[0] = {}) {
  const frame = renderFrame(options);
  const sent: Record<string, unknown>[] = [];
  const insight = countConversation(frame.actor, 'riverbend', (body) => sent.push(JSON.parse(body)));
  const events = () => sent.map(({ center, ...rest }) => (center === 'riverbend' ? rest : { center, ...rest }));
  return { ...frame, insight, sent, events };
}

describe('the frame’s anonymous counts', () => {
  it('counts a whole conversation once: each question reached, the one answered before it, the result, the form and the request', async () => {
    const { user, insight, events } = countedFrame({
      hostPage: {
        path: '/programs/iop',
        utm: { source: 'Newsletter', campaign: 'Winter Drive' },
        referrer: 'www.search.example',
      },
    });
    insight.opened();
    insight.opened();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, journeys['iop-fit']);
    await user.click(screen.getByRole('button', { name: 'Ask for a call back' }));
    await user.type(screen.getByLabelText('First name or nickname'), 'Sam');
    await user.type(screen.getByLabelText('Phone number'), '312 555 0142');
    await user.selectOptions(screen.getByLabelText('US state you live in'), 'IL');
    await user.click(screen.getByRole('checkbox', { name: 'I am 18 or older' }));
    await user.click(screen.getByRole('checkbox', { name: /I agree that Riverbend Recovery may call/ }));
    await user.click(screen.getByRole('button', { name: 'Send my request' }));
    await screen.findByText(/We will call you back/);

    // Tags as counts keep them: lower case, spaces as hyphens; the referring site by host name, no www.
    const source = { source: 'newsletter', campaign: 'winter-drive', referrer: 'search.example' };
    expect(events()).toEqual([
      { event: 'opened', source },
      { event: 'started' },
      ...steps.map((step, i) => ({ event: 'step', step, ...(i > 0 ? { after: steps[i - 1] } : {}) })),
      { event: 'result', route: 'iop-fit', after: steps.at(-1) },
      { event: 'form' },
      { event: 'sent', source },
    ]);
    expect(JSON.stringify(events())).not.toMatch(/Sam|0142|Cannabis|cannabis/);
  });

  it('counts a question once however often the visitor goes back to it, and a new conversation after Start over', async () => {
    const { user, insight, events, actor } = countedFrame();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(user, journeys['iop-fit'].slice(0, 2));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await answer(user, journeys['iop-fit'].slice(0, 3));
    expect(events().map((event) => [event.step, event.after])).toEqual([
      [undefined, undefined],
      [steps[0], undefined],
      [steps[1], steps[0]],
      [steps[2], steps[1]],
      [steps[3], steps[2]],
    ]);
    actor.send({ type: 'visitor.restart' });
    insight.restart();
    await user.click(await screen.findByRole('button', { name: 'Start' }));
    expect(events().slice(5)).toEqual([{ event: 'started' }, { event: 'step', step: steps[0] }]);
  });

  it('does not count again what a conversation restored on another page had reached', async () => {
    const first = countedFrame();
    await first.user.click(screen.getByRole('button', { name: 'Start' }));
    await answer(first.user, journeys['iop-fit'].slice(0, 2));
    expect(first.events()).toHaveLength(4);
    cleanup();

    // The next page: the same conversation, from session storage, goes on where it was.
    const next = countedFrame();
    expect(screen.getByRole('group', { name: /substances|use/i })).toBeTruthy();
    await answer(next.user, journeys['iop-fit'].slice(2, 3));
    expect(next.events()).toEqual([{ event: 'step', step: steps[3], after: steps[2] }]);
  });

  it('counts crisis help opened, and which crisis line was tapped, by its id alone', async () => {
    const { user, events } = countedFrame();
    const call = screen.getByRole('link', { name: 'Call 988, the Suicide and Crisis Lifeline' });
    // A tap on a tel: link does nothing more here than in a browser without a phone.
    call.addEventListener('click', (event) => event.preventDefault());
    await user.click(call);
    await user.click(screen.getByRole('button', { name: 'More crisis help' }));
    expect(events()).toEqual([{ event: 'crisis-link', link: '988' }, { event: 'crisis' }]);
  });
});
