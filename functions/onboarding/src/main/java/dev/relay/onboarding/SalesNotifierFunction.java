package dev.relay.onboarding;

/** The {@code sales-notifier} queue's function: briefs the sales channel for each {@code customer.signup}. */
public final class SalesNotifierFunction extends OnboardingFunction {

    public SalesNotifierFunction() {
        super(env -> new SalesNotifierAgent(store(env)));
    }
}
