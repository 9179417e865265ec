package dev.forkline.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real tools for the test agents; counts how often they really ran.
 */
public final class Calculator
{
    final AtomicInteger executions = new AtomicInteger();

    @Tool("Adds two whole numbers")
    public int add(@P(name = "a", value = "the first number") final int a, @P(name = "b", value = "the second number") final int b)
    {
        executions.incrementAndGet();
        return a + b;
    }

    @Tool("Divides a whole number by another")
    public int divide(@P(name = "a", value = "the dividend") final int a, @P(name = "b", value = "the divisor") final int b)
    {
        executions.incrementAndGet();
        if (b == 0)
        {
            throw new ArithmeticException("cannot divide " + a + " by zero");
        }
        return a / b;
    }
}
