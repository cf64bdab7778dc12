import { useCallback, useEffect, useState } from 'preact/hooks';
import { AssignForm, assigneeText } from './AssignForm.js';
import { LanguageBadge, SlaBadge, StatusBadge, UrgencyBadge } from './badges.js';
import { useConsole } from './context.js';
import { DeliveryList } from './DeliveryList.js';
import { errorMessage, isSignedOut } from './errorMessage.js';
import { LeadHistory } from './LeadHistory.js';
import { NoteForm } from './NoteForm.js';
import { hrefFor } from './router.js';
import { StatusForm } from './StatusForm.js';
import type { LeadDetail as Lead } from './types.js';
import { useViewHeading } from './useFocusOnce.js';
import { targetOf, waitingTime } from './waitingTime.js';

/**
 * One lead: red flags first, then how to reach them, the status workflow, what the answers point to
 * and why, the answers, the consent on record, notes and history, and the alerts sent about it.
 * The header says who has it, and in which language the visitor wrote. Opening it is written to the
 * audit log by the server (lead.view).
 */
export function LeadDetail({
  id,
  back: backHref,
}: {
  id: string /** The inbox as it was left, with its filters. */;
  back: string;
}) {
  const { api, t, format, session, serverNow } = useConsole();
  const [lead, setLead] = useState<Lead | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useViewHeading(lead !== null || error !== null);

  const load = useCallback(async () => {
    try {
      setLead(await api.lead(id));
      setError(null);
    } catch (failure) {
      if (!isSignedOut(failure)) setError(failure);
    }
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <p class="back">
      <a href={backHref}>{t.backToInbox}</a>
    </p>
  );
  if (!lead) {
    return (
      <>
        {back}
        {error ? (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {t.leadFailed}
            </h1>
            <p class="error-box">{errorMessage(error, t)}</p>
          </>
        ) : (
          <p role="status">{t.loading}</p>
        )}
      </>
    );
  }

  const yesNo = (value: boolean) => (value ? t.yes : t.no);
  const target = targetOf(lead, session.center);
  return (
    <>
      {back}
      <h1 ref={heading} tabIndex={-1}>
        {lead.name}
      </h1>
      <p class="meta">
        <UrgencyBadge urgency={lead.urgency} t={t} /> <StatusBadge status={lead.status} t={t} />{' '}
        <LanguageBadge locale={lead.locale} t={t} />{' '}
        <SlaBadge waiting={waitingTime(lead, serverNow(), target)} target={target} t={t} />
      </p>
      <p class="meta-assignee">
        {t.assignedTo}: <strong class="wrap">{assigneeText(lead.assignee, session.staff.email, t)}</strong>
      </p>
      {lead.sameConversation.length > 0 && (
        <p class="notice">
          {t.sameConversation}{' '}
          {lead.sameConversation.map((other, i) => (
            <span key={other.id}>
              {i > 0 && ', '}
              <a href={hrefFor({ name: 'lead', id: other.id })}>{format.dateTime(other.createdAt)}</a>
            </span>
          ))}
        </p>
      )}
      {(lead.flags.crisis || lead.flags.withdrawal) && (
        <ul class="flags">
          {lead.flags.crisis && (
            <li class="flag">
              <strong>{t.crisisFlag}</strong> {t.crisisFlagText}
            </li>
          )}
          {lead.flags.withdrawal && (
            <li class="flag">
              <strong>{t.withdrawalFlag}</strong> {t.withdrawalFlagText}
            </li>
          )}
        </ul>
      )}

      <div class="detail">
        <section class="panel" aria-labelledby="contact-title">
          <h2 id="contact-title">{t.contact}</h2>
          <a class="button primary call" href={`tel:${lead.phoneE164}`}>
            {t.call(lead.phone)}
          </a>
          <dl class="facts">
            <Fact term={t.bestTime}>{t.times[lead.bestTime]}</Fact>
            <Fact term={t.voicemailOk}>{yesNo(lead.voicemailOk)}</Fact>
            <Fact term={t.textOk}>{yesNo(lead.textOk)}</Fact>
            <Fact term={t.forWhom}>{t.forWhomOptions[lead.forWhom]}</Fact>
            <Fact term={t.state}>{lead.state}</Fact>
            <Fact term={t.adult}>{yesNo(lead.adult)}</Fact>
            <Fact term={t.visitorLanguage}>{t.languages[lead.locale] ?? lead.locale}</Fact>
            <Fact term={t.submitted}>{format.dateTime(lead.createdAt)}</Fact>
            <Fact term={t.callbackWindow}>{lead.callbackWindow}</Fact>
          </dl>
        </section>

        <StatusForm lead={lead} onChanged={setLead} onConflict={load} />

        <AssignForm lead={lead} onChanged={setLead} />

        <section class="panel" aria-labelledby="triage-title">
          <h2 id="triage-title">{t.triage}</h2>
          <p class="route">{t.routes[lead.route] ?? lead.routeTitle}</p>
          {t.routes[lead.route] === undefined ? null : <p>{t.visitorSaw(lead.routeTitle)}</p>}
          <h3>{t.reasons}</h3>
          <ul>
            {lead.reasons.map((reason) => (
              <li key={reason.key}>{reason.text}</li>
            ))}
          </ul>
        </section>

        <section class="panel" aria-labelledby="answers-title">
          <h2 id="answers-title">{t.answers}</h2>
          <dl class="answers">
            {lead.answers.map((answer) => (
              <div key={answer.stepId}>
                <dt>{answer.question}</dt>
                <dd>{answer.answer.length > 0 ? answer.answer.join(', ') : t.skipped}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section class="panel" aria-labelledby="consent-title">
          <h2 id="consent-title">{t.consent}</h2>
          <dl class="facts">
            <Fact term={t.consentCall}>{yesNo(lead.consent.call)}</Fact>
            <Fact term={t.consentText}>{yesNo(lead.consent.text)}</Fact>
            <Fact term={t.consentVersion}>{lead.consent.textVersion}</Fact>
            <Fact term={t.consentAt}>{format.dateTime(lead.consent.at)}</Fact>
            {lead.consent.page && <Fact term={t.consentPage}>{lead.consent.page}</Fact>}
          </dl>
        </section>

        <NoteForm lead={lead} onSaved={setLead} />

        <section class="panel" aria-labelledby="history-title">
          <h2 id="history-title">{t.history}</h2>
          <LeadHistory history={lead.history} />
        </section>

        <section class="panel" aria-labelledby="alerts-title">
          <h2 id="alerts-title">{t.alerts}</h2>
          {lead.deliveries.length > 0 ? (
            <DeliveryList
              deliveries={lead.deliveries}
              labelledBy="alerts-title"
              onReplayed={(delivery) =>
                setLead(
                  (current) =>
                    current && {
                      ...current,
                      deliveries: current.deliveries.map((item) => (item.id === delivery.id ? delivery : item)),
                    },
                )
              }
            />
          ) : (
            <p class="help">{t.noAlerts}</p>
          )}
        </section>
      </div>
    </>
  );
}

function Fact({ term, children }: { term: string; children: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd class="wrap">{children}</dd>
    </div>
  );
}
