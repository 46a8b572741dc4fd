package io.github.gptimage.camel.springboot;

/**
 * The task store the starter gives the gptimage component, property {@code camel.component.gptimage.store}.
 */
public enum GptImageStoreKind {

    /** The component's default in-memory store: pending tasks are lost when the application stops. */
    MEMORY,

    /**
     * The durable JDBC store on the application's {@code DataSource} bean (the one Spring Boot builds from
     * {@code spring.datasource.*}, or the only one defined): the component's {@code dataSource} option is set to it,
     * unless {@code camel.component.gptimage.data-source} names another bean.
     */
    JDBC
}
