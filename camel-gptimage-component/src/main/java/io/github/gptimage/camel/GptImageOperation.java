package io.github.gptimage.camel;

/** The operation in the URI path: {@code gptimage:operation}. */
public enum GptImageOperation {
    /** Producer: submits a generation or edit task. */
    generate,
    /** Producer: queries a task's state. */
    info,
    /** Consumer: emits one exchange per tracked task that reached a final state. */
    tasks
}
