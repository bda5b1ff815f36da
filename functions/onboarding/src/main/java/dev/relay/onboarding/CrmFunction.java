package dev.relay.onboarding;

/** The {@code crm} queue's function: records the CRM contact for each {@code customer.signup}. */
public final class CrmFunction extends OnboardingFunction {

    public CrmFunction() {
        super(env -> new CrmAgent(store(env)));
    }
}
