package dev.forkline.springai;

import dev.forkline.kernel.replay.DivergencePolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code forkline.*}: where the Boot application's {@code ChatClient} calls are recorded and what happens to them.
 */
@ConfigurationProperties(prefix = "forkline")
public class ForklineProperties
{
    private String store;
    private ForklineMode mode = ForklineMode.RECORD;
    private DivergencePolicy divergence = DivergencePolicy.FAIL;

    /**
     * @return the store directory; without one, nothing is configured.
     */
    public String getStore()
    {
        return store;
    }

    /**
     * @param store the store directory, created when missing.
     */
    public void setStore(final String store)
    {
        this.store = store;
    }

    /**
     * @return {@code record} (default), {@code replay} or {@code off}.
     */
    public ForklineMode getMode()
    {
        return mode;
    }

    /**
     * @param mode {@code record}, {@code replay} or {@code off}.
     */
    public void setMode(final ForklineMode mode)
    {
        this.mode = mode;
    }

    /**
     * @return what a replay does at a divergence: {@code fail} (default) or {@code fork}.
     */
    public DivergencePolicy getDivergence()
    {
        return divergence;
    }

    /**
     * @param divergence {@code fail} or {@code fork}.
     */
    public void setDivergence(final DivergencePolicy divergence)
    {
        this.divergence = divergence;
    }
}
