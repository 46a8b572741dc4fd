package io.github.gptimage.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.AccountHealth;
import io.github.gptimage.camel.task.CallbackStatus;
import io.github.gptimage.camel.task.CreditBudget;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.SubmitRate;
import io.github.gptimage.camel.task.TaskCounts;
import io.github.gptimage.camel.task.TaskState;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.TimeUtils;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code gptimage} dev console: per task store and account, the tasks by state, the exchanges waiting, the polls in
 * flight, the oldest pending task, the last errors and the callbacks received and refused. Reads the store once per
 * state and call (a {@code COUNT} and a {@code GROUP BY} on a database); shows no key.
 */
@DevConsole(name = "gptimage", displayName = "GPT Image",
            description = "GPT image task stores: tasks by state, accounts, polls, last errors, callbacks")
public class GptImageDevConsole extends AbstractDevConsole {

    public GptImageDevConsole() {
        super("camel", "gptimage", "GPT Image",
              "GPT image task stores: tasks by state, accounts, polls, last errors, callbacks");
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> stores = new ArrayList<>();
        Instant now = Instant.now();
        GptImageComponent.taskServices(getCamelContext())
                .forEach((name, service) -> stores.add(StoreView.of(name, service).json(now)));
        root.put("stores", stores);
        return root;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        Instant now = Instant.now();
        GptImageComponent.taskServices(getCamelContext())
                .forEach((name, service) -> StoreView.of(name, service).text(text, now));
        return text.length() == 0 ? "No GPT image task store has started\n" : text.toString();
    }

    /** What one read of a store shows. Counts are -1 where the store could not tell. */
    private record StoreView(String name, GptImageTaskService service, int pending, int finals,
                             Map<String, TaskCounts> pendingByAccount, Map<String, TaskCounts> finalByAccount,
                             String storeError) {

        static StoreView of(String name, GptImageTaskService service) {
            int pending = -1;
            int finals = -1;
            Map<String, TaskCounts> pendingByAccount = null;
            Map<String, TaskCounts> finalByAccount = null;
            String error = null;
            try {
                pending = service.store().count(TaskState.PENDING);
                finals = service.store().count(TaskState.FINAL);
                pendingByAccount = service.store().countByAccount(TaskState.PENDING);
                finalByAccount = service.store().countByAccount(TaskState.FINAL);
            } catch (UnsupportedOperationException perAccountUnknown) {
                // the store counts per state only
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            return new StoreView(name, service, pending, finals, pendingByAccount, finalByAccount, error);
        }

        Instant oldestPending() {
            return pendingByAccount == null ? null : pendingByAccount.values().stream()
                    .map(TaskCounts::oldestSubmittedAt).filter(java.util.Objects::nonNull).min(Instant::compareTo)
                    .orElse(null);
        }

        JsonObject json(Instant now) {
            JsonObject store = new JsonObject();
            store.put("name", name);
            store.put("state", service.getStatus().name());
            store.put("nodeId", service.settings().nodeId());
            store.put("store", service.store().getClass().getSimpleName());
            if (storeError != null) {
                store.put("storeError", storeError);
            }
            JsonObject tasks = new JsonObject();
            tasks.put("pending", pending);
            tasks.put("final", finals);
            store.put("tasks", tasks);
            store.put("waitingExchanges", service.waiting());
            store.put("pollsInFlight", service.pollsInFlight());
            store.put("maxConcurrentPolls", service.settings().maxConcurrentPolls());
            putOldest(store, oldestPending(), now);
            List<JsonObject> accounts = new ArrayList<>();
            for (Account account : service.accounts()) {
                accounts.add(account(account, now));
            }
            store.put("accounts", accounts);
            service.callbackStatus().ifPresent(callbacks -> store.put("callbacks", callbacks(callbacks)));
            return store;
        }

        private JsonObject account(Account account, Instant now) {
            JsonObject json = new JsonObject();
            AccountHealth health = account.health();
            AccountHealth.Failure down = health.downAt(now);
            json.put("name", account.name());
            json.put("baseUrl", account.baseUrl());
            json.put("health", down == null ? "UP" : "DOWN");
            if (down != null) {
                json.put("downReason", AccountHealth.reason(down.code()));
            }
            if (pendingByAccount != null) {
                TaskCounts pendingHere = pendingByAccount.getOrDefault(account.name(), new TaskCounts(0, null));
                JsonObject tasks = new JsonObject();
                tasks.put("pending", pendingHere.count());
                tasks.put("final", finalByAccount.getOrDefault(account.name(), new TaskCounts(0, null)).count());
                json.put("tasks", tasks);
                putOldest(json, pendingHere.oldestSubmittedAt(), now);
            }
            CreditBudget budget = account.budget();
            if (budget != null) {
                CreditBudget.Window window = budget.window(now);
                JsonObject spend = new JsonObject();
                spend.put("credits", budget.credits());
                spend.put("period", budget.period().toString());
                spend.put("spent", spent(account, window));
                spend.put("windowEnd", window.end().toString());
                json.put("budget", spend);
            }
            SubmitRate rate = account.submitRate();
            if (rate != null) {
                json.put("maxSubmitsPerSecond", rate.perSecond());
            }
            AccountHealth.Failure last = health.lastError();
            if (last != null) {
                JsonObject error = new JsonObject();
                error.put("code", last.code());
                error.put("operation", last.operation().tag());
                error.put("type", last.type());
                error.put("time", last.at().toString());
                if (last.message() != null) {
                    error.put("message", last.message());
                }
                json.put("lastError", error);
            }
            if (health.lastSuccess() != null) {
                json.put("lastSuccess", health.lastSuccess().toString());
            }
            return json;
        }

        private static void putOldest(JsonObject json, Instant oldest, Instant now) {
            if (oldest != null) {
                json.put("oldestPendingSubmittedAt", oldest.toString());
                json.put("oldestPendingAgeMillis", Duration.between(oldest, now).toMillis());
            }
        }

        private static JsonObject callbacks(CallbackStatus callbacks) {
            JsonObject json = new JsonObject();
            json.put("path", callbacks.path());
            json.put("serving", callbacks.serving());
            json.put("received", callbacks.received());
            json.put("refused", callbacks.refused());
            JsonObject verdicts = new JsonObject();
            verdicts.putAll(callbacks.verdicts());
            json.put("verdicts", verdicts);
            return json;
        }

        void text(StringBuilder text, Instant now) {
            text.append(String.format("Store: %s (%s, %s, node %s)%n", name, service.store().getClass().getSimpleName(),
                    service.getStatus().name().toLowerCase(java.util.Locale.ROOT), service.settings().nodeId()));
            if (storeError != null) {
                text.append("    Store failing: ").append(storeError).append('\n');
            }
            text.append(String.format("    Tasks: %s pending, %s final; %d waiting exchanges; %d polls in flight (max %d)%n",
                    count(pending), count(finals), service.waiting(), service.pollsInFlight(),
                    service.settings().maxConcurrentPolls()));
            Instant oldest = oldestPending();
            if (oldest != null) {
                text.append("    Oldest pending: submitted ").append(age(oldest, now)).append('\n');
            }
            for (Account account : service.accounts()) {
                AccountHealth health = account.health();
                AccountHealth.Failure down = health.downAt(now);
                text.append(String.format("    Account: %s  %s  %s%n", account.name(), down == null ? "UP" : "DOWN",
                        account.baseUrl()));
                if (down != null) {
                    text.append("        Down: ").append(AccountHealth.reason(down.code())).append(" since ")
                            .append(down.at()).append('\n');
                }
                if (pendingByAccount != null) {
                    TaskCounts here = pendingByAccount.getOrDefault(account.name(), new TaskCounts(0, null));
                    text.append(String.format("        Tasks: %d pending, %d final%s%n", here.count(),
                            finalByAccount.getOrDefault(account.name(), new TaskCounts(0, null)).count(),
                            here.oldestSubmittedAt() != null
                                    ? "; oldest pending submitted " + age(here.oldestSubmittedAt(), now) : ""));
                }
                CreditBudget budget = account.budget();
                if (budget != null) {
                    CreditBudget.Window window = budget.window(now);
                    text.append(String.format("        Budget: %s of %d credits per %s spent, window ending %s%n",
                            spent(account, window), budget.credits(), budget.period(), window.end()));
                }
                if (account.submitRate() != null) {
                    text.append(String.format("        Submits: at most %s a second on this node%n",
                            account.submitRate().perSecond()));
                }
                AccountHealth.Failure last = health.lastError();
                if (last != null) {
                    text.append(String.format("        Last error: %s on %s at %s (%s)%s%n",
                            last.code() > 0 ? String.valueOf(last.code()) : "no answer", last.operation().tag(),
                            last.at(), last.type(), last.message() != null ? ": " + last.message() : ""));
                }
                if (health.lastSuccess() != null) {
                    text.append("        Last success: ").append(health.lastSuccess()).append('\n');
                }
            }
            Optional<CallbackStatus> callbacks = service.callbackStatus();
            callbacks.ifPresent(status -> {
                StringBuilder verdicts = new StringBuilder();
                status.verdicts().forEach((verdict, count) -> {
                    if (count > 0) {
                        verdicts.append(verdicts.length() == 0 ? "" : ", ").append(verdict).append(' ').append(count);
                    }
                });
                text.append(String.format("    Callbacks: POST %s/{token} %s; %d received, %d refused%s%n",
                        status.path(), status.serving() ? "serving" : "NOT SERVING", status.received(),
                        status.refused(), verdicts.length() > 0 ? " (" + verdicts + ")" : ""));
            });
        }

        /** What the account spent in the window, or "?" while the store cannot tell. */
        private Object spent(Account account, CreditBudget.Window window) {
            try {
                return service.store().creditsSpent(account.name(), window.start());
            } catch (RuntimeException e) {
                return "?";
            }
        }

        private static String count(int count) {
            return count >= 0 ? String.valueOf(count) : "?";
        }

        private static String age(Instant at, Instant now) {
            return at + " (" + TimeUtils.printDuration(Duration.between(at, now).toMillis(), true) + " ago)";
        }
    }
}
