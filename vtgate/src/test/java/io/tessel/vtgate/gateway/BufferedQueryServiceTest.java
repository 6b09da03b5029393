package io.tessel.vtgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessel.common.queryservice.QueryService;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The buffered query service passes every call through: a method it inherits would answer for the tablet. */
class BufferedQueryServiceTest {
    @Test
    void everyQueryServiceMethodIsForwarded() {
        List<String> missing = new ArrayList<>();
        for (Method m : QueryService.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers()) || m.getName().equals("close")) {
                continue;
            }
            try {
                BufferedQueryService.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing, "QueryService methods BufferedQueryService does not forward");
    }
}
