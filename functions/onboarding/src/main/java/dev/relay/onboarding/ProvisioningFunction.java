package dev.relay.onboarding;

/** The {@code provisioning} queue's function: creates the workspace for each {@code customer.signup}. */
public final class ProvisioningFunction extends OnboardingFunction {

    public ProvisioningFunction() {
        super(env -> new ProvisioningAgent(store(env)));
    }
}
