package dev.forkline.springai;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real Spring AI method tools for the test agents; counts how often they really ran.
 */
public final class SpringCalculator
{
    final AtomicInteger executions = new AtomicInteger();

    @Tool(description = "Adds two whole numbers")
    public int add(@ToolParam(description = "the first number") final int a, @ToolParam(description = "the second number") final int b)
    {
        executions.incrementAndGet();
        return a + b;
    }

    @Tool(description = "Divides a whole number by another")
    public int divide(@ToolParam(description = "the dividend") final int a, @ToolParam(description = "the divisor") final int b)
    {
        executions.incrementAndGet();
        if (b == 0)
        {
            throw new ArithmeticException("cannot divide " + a + " by zero");
        }
        return a / b;
    }
}
