package dev.relay.onboarding;

/** The {@code welcome-email} queue's function: writes and queues the welcome email for each {@code customer.signup}. */
public final class WelcomeEmailFunction extends OnboardingFunction {

    public WelcomeEmailFunction() {
        super(env -> new WelcomeEmailAgent(store(env)));
    }
}
